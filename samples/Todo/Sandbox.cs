// The kernel confines every request of this app (Landlock and seccomp, applied before the runtime starts; see
// docs/security.md): it may write only in the folder of its database, TODO_DB's (by default todo.db beside the binary),
// where SQLite keeps the file and its journal; it reads nothing else of its own, starts no program, and the SQLite
// build connects nowhere. The PostgreSQL build may connect to the port in TODO_DB's URL (5432 when it has none).
#if TODO_POSTGRES
[assembly: CgiRouting.Sandbox(Write = new[] { "${TODO_DB:-${BINARY_DIR}/todo.db}/.." }, Read = new[] { "${BINARY_DIR}/libe_sqlite3.so" },
    ConnectPorts = new[] { 5432 }, ConnectPortsFrom = new[] { "TODO_DB" })]
#else
[assembly: CgiRouting.Sandbox(Write = new[] { "${TODO_DB:-${BINARY_DIR}/todo.db}/.." })]
#endif
