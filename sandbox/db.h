// A thin SQLite wrapper: one connection, cached prepared statements, RAII
// transactions. Not thread-safe by itself; the Portal serialises access.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace sandbox {

class Stmt {
 public:
  Stmt(sqlite3_stmt* stmt, std::atomic<uint64_t>& writes) : stmt_(stmt), writes_(writes) {}
  ~Stmt();  // resets the cached statement for its next user
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& Bind(int index, int64_t value);
  Stmt& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Stmt& Bind(int index, bool value) { return Bind(index, static_cast<int64_t>(value)); }
  Stmt& Bind(int index, const std::string& value);
  Stmt& Bind(int index, const char* value) { return Bind(index, std::string(value)); }
  Stmt& Bind(int index, std::nullptr_t);

  bool Step();  // true while a row is available; throws on error; counts writes
  void Run() { Step(); }
  int64_t Int(int col) const;
  std::string Text(int col) const;
  bool IsNull(int col) const;

 private:
  sqlite3_stmt* stmt_;
  std::atomic<uint64_t>& writes_;
};

class Db {
 public:
  // Opens (creating if needed) with WAL and a busy timeout so another process
  // (e.g. `chorus-sandbox mail`) can read while the server writes.
  explicit Db(const std::string& path, bool read_only = false);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void Exec(const std::string& sql);
  // A cached prepared statement with the arguments bound in order (1-based).
  template <typename... Args>
  std::unique_ptr<Stmt> Query(const std::string& sql, const Args&... args) {
    auto stmt = std::make_unique<Stmt>(Prepare(sql), writes_);
    int i = 0;
    (stmt->Bind(++i, args), ...);
    return stmt;
  }
  int64_t LastInsertId() const;
  int Changes() const;
  // How many writing statements have run on this connection: a version of
  // the data that any change moves on (a rolled-back one too), readable
  // from any thread without the portal's lock.
  uint64_t Writes() const { return writes_.load(std::memory_order_acquire); }

 private:
  sqlite3_stmt* Prepare(const std::string& sql);
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  std::atomic<uint64_t> writes_{0};
};

// BEGIN ... COMMIT around the queries of a read-only operation. Statements
// made inside must be done with (destroyed) before it ends.
class ReadTransaction {
 public:
  explicit ReadTransaction(Db& db) : db_(db) { db_.Query("BEGIN")->Run(); }
  ~ReadTransaction();
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  Db& db_;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back unless Commit() was called.
class Transaction {
 public:
  explicit Transaction(Db& db) : db_(db) { db_.Exec("BEGIN IMMEDIATE"); }
  ~Transaction();
  void Commit() { db_.Exec("COMMIT"); done_ = true; }

 private:
  Db& db_;
  bool done_ = false;
};

}  // namespace sandbox
