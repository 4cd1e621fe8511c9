// node:util/types on first require() rather than at startup (wrangler.toml [alias] says why).
module.exports = process.getBuiltinModule("node:util/types");
