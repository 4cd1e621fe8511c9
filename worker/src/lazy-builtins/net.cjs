// node:net on first require() rather than at startup (wrangler.toml [alias] says why).
module.exports = process.getBuiltinModule("node:net");
