// Starts Swagger UI on the Worker's /api/docs page. A file of its own, not an inline <script>, so
// the page's CSP can allow scripts from 'self' only. The document's URL comes from the page.
const root = document.getElementById("swagger-ui");
window.ui = SwaggerUIBundle({
  url: root.dataset.url,
  domNode: root,
  deepLinking: true,
  // Never send the document to swagger.io's online validator.
  validatorUrl: null,
  // The pasted bearer token stays in memory, out of localStorage.
  persistAuthorization: false,
});
