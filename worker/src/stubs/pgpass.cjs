// Stand-in for pgpass: node-postgres asks it for a password only when the
// connection string has none, and Hyperdrive's always has one. Answers "no password file entry".
// CommonJS, as node-postgres require()s the real one.
module.exports = function pgpass(_connection, callback) {
  callback(undefined);
};
