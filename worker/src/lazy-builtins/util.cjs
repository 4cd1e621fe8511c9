// node:util on first require() rather than at startup (see README.md here).
module.exports = process.getBuiltinModule("node:util");
