// The series store on sql::Connection: one implementation for SQLite and
// PostgreSQL (the few differences ask the connection's dialect).
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "atalaya/core/error.h"
#include "atalaya/core/huge_pages.h"
#include "atalaya/core/utc_time.h"
#include "atalaya/store/audit/audit_log.h"
#include "atalaya/store/latest_view.h"
#include "atalaya/store/observation_block.h"
#include "atalaya/store/series_schema.h"
#include "atalaya/store/sql/connection.h"
#include "atalaya/store/sql/schema.h"
#include "atalaya/store/store.h"

namespace atalaya {
namespace {
using sql::Dialect;
using sql::Transaction;
using sql::TransactionScope;

// A series' identity within its source (its key and unit), as one string:
// each part length-prefixed, so no part's content can collide with another's.
std::string series_identity(const std::string& reporter, const std::string& location, const std::string& citizenship,
                            const std::string& event, const std::string& demographic, const std::string& authority,
                            int64_t unit, const std::string& counterpart) {
  std::string out = std::to_string(unit);
  for (const std::string* part : {&reporter, &location, &citizenship, &event, &demographic, &authority, &counterpart}) {
    out += '|';
    out += std::to_string(part->size());
    out += ':';
    out += *part;
  }
  return out;
}

// Reads observation blocks from `q`, ordered by series and then vintage,
// and merges each series' into its view. The query's first columns are the
// block's series id, its vintage id, the vintage as the view names it (id
// or number), points and data; the caller's own columns follow.
// on_first(q) is called on each series' first block, on_view(series id,
// view) after its last (it may move the view away).
template <class OnFirst, class OnView>
void read_views(sql::Statement& q, OnFirst on_first, OnView on_view) {
  SeriesView view;
  int64_t current = 0;
  bool any = false;
  while (q.step()) {
    const int64_t series = q.i64(0);
    if (!any || series != current) {
      if (any) on_view(current, view);
      view.clear();
      current = series;
      any = true;
      on_first(q);
    }
    view.apply(decode_block(q.blob(4), q.i64(3), series, q.i64(1)), q.i64(2));
  }
  if (any) on_view(current, view);
}

// The revisions with the largest absolute change, gathered while a write
// compares the file with the latest view: a heap of at most
// kLargestRevisions, so a file revising millions of values costs no more.
class LargestRevisions {
 public:
  // `def` is the revised value's series as the file defines it.
  void offer(const SeriesDef& def, int64_t period, int64_t value, Status status, const HeldPoint& held) {
    const int64_t change = value - held.value;
    Candidate c{change < 0 ? -static_cast<uint64_t>(change) : static_cast<uint64_t>(change), &def, period, value,
                status, held};
    if (heap_.size() < kLargestRevisions) {
      heap_.push_back(c);
      std::push_heap(heap_.begin(), heap_.end(), RanksBefore{});
    } else if (RanksBefore{}(c, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), RanksBefore{});
      heap_.back() = c;
      std::push_heap(heap_.begin(), heap_.end(), RanksBefore{});
    }
  }
  // Largest first, each naming the vintage number its old value comes from.
  std::vector<Revision> take(sql::Connection& db, int64_t source_id) {
    std::sort(heap_.begin(), heap_.end(), RanksBefore{});
    std::unordered_map<int64_t, int> number_of;  // vintage id -> number
    if (!heap_.empty()) {
      auto q = db.prepare("SELECT id, number FROM vintage WHERE source_id = ?");
      q->bind(1, source_id);
      while (q->step()) number_of[q->i64(0)] = static_cast<int>(q->i64(1));
    }
    std::vector<Revision> out;
    for (const Candidate& c : heap_)
      out.push_back(Revision{c.def->key, c.def->unit, Period::from_code(c.period), c.held.value, c.value,
                             static_cast<Status>(c.held.status), c.status, number_of[c.held.vintage]});
    return out;
  }

 private:
  struct Candidate {
    uint64_t change = 0;
    const SeriesDef* def = nullptr;
    int64_t period = 0;  // Period::code()
    int64_t value = 0;
    Status status = Status::Final;
    HeldPoint held;  // its vintage: the vintage's id
  };
  // Larger change first; ties by series key, then period: the same order on
  // both backends whatever ids the series got.
  struct RanksBefore {
    bool operator()(const Candidate& a, const Candidate& b) const {
      if (a.change != b.change) return a.change > b.change;
      if (a.def->key.tie() != b.def->key.tie()) return a.def->key.tie() < b.def->key.tie();
      if (a.def->unit != b.def->unit) return a.def->unit < b.def->unit;
      return a.period < b.period;
    }
  };
  std::vector<Candidate> heap_;  // a heap whose front ranks last
};

// The audit line of a write: the file's name (not its path: a path can say
// more about a person's machine than the trail needs) and the counts.
AuditEntry vintage_entry(const ParsedFile& file, const WriteOptions& options) {
  AuditEntry e;
  e.actor = options.actor;
  e.action = options.dry_run ? "vintage.preview" : "vintage.write";
  e.object = "source:" + file.source;
  return e;
}

std::string write_detail(const ParsedFile& file, const WriteOptions& options, const WriteResult& r) {
  nlohmann::json d = {{"file", std::filesystem::path(file.path).filename().string()},
                      {"digest", file.digest},
                      {"result", write_outcome_name(r.outcome)},
                      {"vintage", r.vintage},
                      {"rows_written", r.rows_written},
                      {"rows_revised", r.rows_revised},
                      {"rows_withdrawn", r.rows_withdrawn},
                      {"series_added", r.series_added}};
  if (options.replace) d["replace"] = true;
  return d.dump();
}

// A row as written: its series' id and its period's code resolved.
struct KeyedRow {
  int64_t series_id;
  int64_t period;  // Period::code()
  int64_t value;
  uint32_t line;
  Status status;
};

// The file's rows ordered by (series id, period), rows of one key in file
// order. A counting sort by series id, then each series' rows by period
// (already ascending in files that list period after period, so usually
// only checked): two sequential passes over the rows, where sorting
// indices and then gathering rows from all over the file missed the cache
// on every row.
std::vector<KeyedRow> in_key_order(const ParsedFile& file, const std::vector<int64_t>& series_id) {
  // Each file series' rank among the distinct ids (file series that share
  // an id share a rank).
  std::vector<uint32_t> by_id(file.series.size());
  for (uint32_t i = 0; i < by_id.size(); ++i) by_id[i] = i;
  std::sort(by_id.begin(), by_id.end(), [&](uint32_t a, uint32_t b) { return series_id[a] < series_id[b]; });
  std::vector<uint32_t> rank(file.series.size());
  uint32_t ranks = 0;
  for (size_t j = 0; j < by_id.size(); ++j) {
    if (j > 0 && series_id[by_id[j]] != series_id[by_id[j - 1]]) ++ranks;
    rank[by_id[j]] = ranks;
  }
  std::vector<size_t> start(static_cast<size_t>(ranks) + 2, 0);
  for (const ObservationRow& r : file.rows) ++start[rank[r.series] + 1];
  for (size_t k = 1; k < start.size(); ++k) start[k] += start[k - 1];
  std::vector<KeyedRow> out;
  out.reserve(file.rows.size());
  advise_huge_pages(out);
  out.resize(file.rows.size());
  {
    std::vector<size_t> next(start.begin(), start.end() - 1);
    for (const ObservationRow& r : file.rows)
      out[next[rank[r.series]]++] = KeyedRow{series_id[r.series], r.period.code(), r.value, r.line, r.status};
  }
  for (size_t k = 0; k + 1 < start.size(); ++k) {
    auto first = out.begin() + static_cast<std::ptrdiff_t>(start[k]);
    auto last = out.begin() + static_cast<std::ptrdiff_t>(start[k + 1]);
    auto by_period = [](const KeyedRow& a, const KeyedRow& b) { return a.period < b.period; };
    if (!std::is_sorted(first, last, by_period)) std::stable_sort(first, last, by_period);
  }
  return out;
}

class SqlSeriesStore : public SeriesStore {
 public:
  explicit SqlSeriesStore(std::unique_ptr<sql::Connection> db) : db_(std::move(db)) {
    sql::migrate(*db_, "series", series_migrations());
    audit::migrate_audit(*db_);
  }

  using SeriesStore::write_vintage;
  WriteResult write_vintage(const ParsedFile& file, const WriteOptions& options) override;
  // write_vintage's work; a new vintage's audit line is appended inside.
  WriteResult write(const ParsedFile& file, const WriteOptions& options);
  std::vector<SourceSummary> sources() override;
  std::vector<VintageInfo> vintages(const std::string& source) override;
  std::vector<StoredSeries> select(const SeriesSelection& selection) override;
  std::vector<CoveredPeriod> covered_periods(const std::string& source, std::optional<int> vintage) override;
  int64_t data_version() override { return db_->data_version(); }
  uint64_t stored_rows() override {
    auto s = db_->prepare("SELECT coalesce(sum(points), 0) FROM observation_block");
    s->step();
    return static_cast<uint64_t>(s->i64(0));
  }

 private:
  std::unique_ptr<sql::Connection> db_;
};

WriteResult SqlSeriesStore::write_vintage(const ParsedFile& file, const WriteOptions& options) {
  AuditEntry entry = vintage_entry(file, options);
  try {
    WriteResult result = write(file, options);
    // A preview's own line is written apart: its transaction was rolled back.
    if (options.dry_run || result.outcome != WriteOutcome::NewVintage) {
      entry.detail = write_detail(file, options, result);
      audit::record(*db_, entry);
    }
    return result;
  } catch (const WithdrawalRefused& e) {
    entry.outcome = "refused";
    entry.detail = nlohmann::json{{"file", std::filesystem::path(file.path).filename().string()},
                                  {"reason", "withdrawal_limit"},
                                  {"withdrawn", e.withdrawn},
                                  {"held", e.held}}
                       .dump();
    audit::record(*db_, entry);
    throw;
  } catch (const std::exception& e) {
    // A failure of the store itself: recorded when the store can still
    // take a line (a broken constraint can; an unreachable server cannot).
    entry.outcome = "failed";
    entry.detail = nlohmann::json{{"file", std::filesystem::path(file.path).filename().string()}, {"reason", e.what()}}.dump();
    try {
      audit::record(*db_, entry);
    } catch (const std::exception&) {
    }
    throw;
  }
}

WriteResult SqlSeriesStore::write(const ParsedFile& file, const WriteOptions& options) {
  WriteResult result;
  TransactionScope tx(*db_, Transaction::Write);
  int64_t source_id;
  {
    auto ins = db_->prepare("INSERT INTO source(code, name) VALUES(?, ?) ON CONFLICT(code) DO UPDATE SET "
                       "name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE source.name END");
    ins->bind(1, file.source).bind(2, file.source_name).step();
    auto q = db_->prepare("SELECT id FROM source WHERE code = ?");
    q->bind(1, file.source).step();
    source_id = q->i64(0);
    if (file.declaration) {
      auto d = db_->prepare("UPDATE source SET declaration = ? WHERE id = ?");
      d->bind(1, file.declaration->to_json()).bind(2, source_id).step();
    }
  }
  {
    // Only the newest vintage counts: an earlier file published again
    // (a correction withdrawn) must become the latest once more.
    auto same = db_->prepare("SELECT number, digest, mapping_digest FROM vintage WHERE source_id = ? "
                        "ORDER BY number DESC LIMIT 1");
    if (same->bind(1, source_id).step() && same->text(1) == file.digest && same->text(2) == file.mapping_digest) {
      result.outcome = WriteOutcome::SameFile;
      result.vintage = static_cast<int>(same->i64(0));
      return result;
    }
  }
  // Series ids for the file's series: the source's series are read in one
  // query and the new ones inserted a batch at a time (on PostgreSQL every
  // statement is a round trip to the server; one per series cost seconds
  // for a file of 30,000 series). New series are inserted in file order, so
  // new ids ascend with the file's series index.
  std::vector<int64_t> series_id(file.series.size(), 0);
  {
    std::vector<bool> used(file.series.size(), false);
    for (auto& r : file.rows) used[r.series] = true;
    std::unordered_map<std::string, int64_t> known;  // series_identity() -> id
    auto have = db_->prepare("SELECT id, reporter, location, citizenship, event, demographic, authority, unit, "
                             "counterpart FROM series WHERE source_id = ?");
    have->bind(1, source_id);
    while (have->step())
      known.emplace(series_identity(have->text(1), have->text(2), have->text(3), have->text(4), have->text(5),
                                    have->text(6), have->i64(7), have->text(8)),
                    have->i64(0));
    std::vector<std::string> identity(file.series.size());
    std::vector<size_t> missing;  // the first file series of each new identity, in file order
    std::unordered_set<std::string> pending;
    for (size_t i = 0; i < file.series.size(); ++i) {
      if (!used[i]) continue;
      const auto& k = file.series[i].key;
      identity[i] = series_identity(k.reporter, k.location, k.citizenship, k.event, k.demographic, k.authority,
                                    static_cast<int64_t>(file.series[i].unit), k.counterpart);
      if (!known.count(identity[i]) && pending.insert(identity[i]).second) missing.push_back(i);
    }
    // 256 rows of 9 parameters stay far below both backends' parameter limits.
    constexpr size_t kBatch = 256;
    for (size_t at = 0; at < missing.size(); at += kBatch) {
      const size_t n = std::min(kBatch, missing.size() - at);
      std::string sql = "INSERT INTO series(source_id, reporter, location, citizenship, event, demographic, authority, "
                        "unit, counterpart) VALUES";
      for (size_t j = 0; j < n; ++j) sql += j ? ",(?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?)";
      // The rows come back with their key, so ids are matched by key, not by
      // the order RETURNING happens to give.
      sql += " RETURNING id, reporter, location, citizenship, event, demographic, authority, unit, counterpart";
      auto add = db_->prepare(sql);
      for (size_t j = 0; j < n; ++j) {
        const auto& d = file.series[missing[at + j]];
        const int b = static_cast<int>(j * 9);
        add->bind(b + 1, source_id).bind(b + 2, d.key.reporter).bind(b + 3, d.key.location)
            .bind(b + 4, d.key.citizenship).bind(b + 5, d.key.event).bind(b + 6, d.key.demographic)
            .bind(b + 7, d.key.authority).bind(b + 8, static_cast<int64_t>(d.unit)).bind(b + 9, d.key.counterpart);
      }
      while (add->step())
        known.emplace(series_identity(add->text(1), add->text(2), add->text(3), add->text(4), add->text(5),
                                      add->text(6), add->i64(7), add->text(8)),
                      add->i64(0));
    }
    result.series_added = missing.size();
    for (size_t i = 0; i < file.series.size(); ++i) {
      if (!used[i]) continue;
      auto it = known.find(identity[i]);
      if (it == known.end())
        throw Error(ErrorCode::Internal, "store", "series " + std::to_string(i) + " of " + file.path +
                                                      " has no id after its insert");
      series_id[i] = it->second;
    }
  }
  // What the source holds now: each series' latest view (vintage ids), to
  // store only what changed.
  std::unordered_map<int64_t, SeriesView> latest;
  uint64_t held = 0;
  {
    auto cur = db_->prepare("SELECT b.series_id, b.vintage_id, b.vintage_id, b.points, b.data "
                            "FROM observation_block b JOIN series s ON s.id = b.series_id "
                            "WHERE s.source_id = ? ORDER BY b.series_id, b.vintage_id");
    cur->bind(1, source_id);
    read_views(
        *cur, [](sql::Statement&) {},
        [&](int64_t series, SeriesView& view) {
          held += view.points().size();
          if (!view.points().empty()) latest[series] = std::move(view);
        });
  }
  int number;
  {
    auto n = db_->prepare("SELECT coalesce(max(number), 0) + 1 FROM vintage WHERE source_id = ?");
    n->bind(1, source_id).step();
    number = static_cast<int>(n->i64(0));
  }
  auto vin = db_->prepare("INSERT INTO vintage(source_id, number, file, digest, mapping_digest, format, bytes, rows_read, "
                     "rows_written, ingested_at) VALUES(?,?,?,?,?,?,?,?,0,?) RETURNING id");
  vin->bind(1, source_id).bind(2, number).bind(3, file.path).bind(4, file.digest).bind(5, file.mapping_digest)
      .bind(6, file.format).bind(7, static_cast<int64_t>(file.bytes)).bind(8, static_cast<int64_t>(file.rows_read)).bind(9, utc_now())
      .step();
  const int64_t vintage_id = vin->i64(0);
  vin->reset();

  // Each series' rows against its latest view (both ordered by period):
  // new and revised values go into the series' block, the same ones do
  // not; a complete release also withdraws (a point of status 0) what the
  // view holds and the file lacks (a series renamed by a corrected mapping,
  // a month a publisher dropped).
  const bool complete = file.complete_release || options.replace;
  const std::vector<KeyedRow> sorted = in_key_order(file, series_id);
  LargestRevisions largest;
  // A revised value's series as the file defines it (file series that
  // share an id share their key and unit).
  std::unordered_map<int64_t, const SeriesDef*> def_of;
  if (!latest.empty())
    for (size_t k = 0; k < file.series.size(); ++k) def_of.emplace(series_id[k], &file.series[k]);
  struct Block {
    int64_t series_id;
    size_t points;
    std::string data;
  };
  std::vector<Block> blocks;
  const SeriesView nothing;
  for (size_t at = 0; at < sorted.size();) {
    const int64_t sid = sorted[at].series_id;
    auto found = latest.find(sid);
    const std::vector<HeldPoint>& view = (found == latest.end() ? nothing : found->second).points();
    BlockWriter block(sid);
    size_t v = 0;  // the next point of the view
    auto pass_view_before = [&](int64_t period) {
      for (; v < view.size() && view[v].period < period; ++v) {
        if (!complete) continue;
        block.add(BlockPoint{view[v].period, 0, kWithdrawnStatus, 0});
        ++result.rows_withdrawn;
      }
    };
    for (; at < sorted.size() && sorted[at].series_id == sid; ++at) {
      const KeyedRow& r = sorted[at];
      pass_view_before(r.period);
      if (v < view.size() && view[v].period == r.period) {
        const HeldPoint& h = view[v++];
        if (h.value == r.value && h.status == static_cast<uint8_t>(r.status)) continue;
        largest.offer(*def_of.at(sid), r.period, r.value, r.status, h);
        ++result.rows_revised;
      }
      block.add(BlockPoint{r.period, r.value, static_cast<uint8_t>(r.status), r.line});
      ++result.rows_written;
    }
    pass_view_before(INT64_MAX);
    if (found != latest.end()) latest.erase(found);  // what remains afterwards is absent from this file
    if (block.points()) blocks.push_back(Block{sid, block.points(), block.data()});
  }
  if (complete) {
    for (auto& [sid, view] : latest) {
      BlockWriter block(sid);
      for (const HeldPoint& h : view.points()) block.add(BlockPoint{h.period, 0, kWithdrawnStatus, 0});
      result.rows_withdrawn += block.points();
      blocks.push_back(Block{sid, block.points(), block.data()});
    }
  }
  // More withdrawn than the source's limit is refused unless the caller
  // replaces on purpose: a cut or emptied file must not withdraw a series
  // by accident.
  if (complete && !options.replace && result.rows_withdrawn > 0 &&
      static_cast<double>(result.rows_withdrawn) > file.max_withdrawal * static_cast<double>(held))
    throw WithdrawalRefused(file.path, file.source, result.rows_withdrawn, held, file.max_withdrawal);
  // In primary-key order (series id; one vintage): appending to the B-tree
  // is cheaper than inserting at random places. A dry run writes no
  // blocks: everything it answers is known without them, and the
  // transaction is rolled back anyway.
  if (!options.dry_run) {
    std::sort(blocks.begin(), blocks.end(), [](const Block& a, const Block& b) { return a.series_id < b.series_id; });
    auto out = db_->bulk_insert("observation_block", {"series_id", "vintage_id", "points", "data"});
    for (const Block& b : blocks) {
      const int64_t row[] = {b.series_id, vintage_id, static_cast<int64_t>(b.points)};
      out->row(row, b.data);
    }
    out->finish();
  }
  if (result.rows_written == 0 && result.rows_withdrawn == 0) {
    result.outcome = WriteOutcome::NoChangedValues;
    result.series_added = 0;
    return result;
  }
  result.largest_revisions = largest.take(*db_, source_id);
  result.vintage = number;
  if (options.dry_run) return result;  // the scope rolls everything back
  auto upd = db_->prepare("UPDATE vintage SET rows_written = ? WHERE id = ?");  // withdrawals not counted
  upd->bind(1, static_cast<int64_t>(result.rows_written)).bind(2, vintage_id).step();
  AuditEntry entry = vintage_entry(file, options);
  entry.detail = write_detail(file, options, result);
  audit::append(*db_, entry);
  tx.commit();
  return result;
}

std::vector<SourceSummary> SqlSeriesStore::sources() {
  // Observations and periods of each source's latest view, from every
  // block (withdrawals excluded).
  struct Held {
    uint64_t observations = 0;
    std::unordered_set<int64_t> periods;  // codes
  };
  std::unordered_map<int64_t, Held> held;  // source id -> what its latest view holds
  {
    auto b = db_->prepare("SELECT b.series_id, b.vintage_id, b.vintage_id, b.points, b.data, s.source_id "
                          "FROM observation_block b JOIN series s ON s.id = b.series_id "
                          "ORDER BY b.series_id, b.vintage_id");
    Held* of = nullptr;
    read_views(
        *b, [&](sql::Statement& q) { of = &held[q.i64(5)]; },
        [&](int64_t, const SeriesView& view) {
          of->observations += view.points().size();
          for (const HeldPoint& p : view.points()) of->periods.insert(p.period);
        });
  }
  std::vector<SourceSummary> out;
  auto q = db_->prepare(R"SQL(
    SELECT src.code, src.name,
      (SELECT count(*) FROM vintage v WHERE v.source_id = src.id),
      (SELECT count(*) FROM series s WHERE s.source_id = src.id),
      (SELECT max(ingested_at) FROM vintage v WHERE v.source_id = src.id),
      src.id, src.declaration
    FROM source src ORDER BY src.code)SQL");
  while (q->step()) {
    SourceSummary s;
    s.source = q->text(0);
    s.name = q->text(1);
    s.vintages = static_cast<int>(q->i64(2));
    s.series = static_cast<uint64_t>(q->i64(3));
    s.last_ingest = q->text(4);
    s.declaration = SourceDeclaration::from_json(q->text(6));
    std::optional<Period> first, last;
    if (auto it = held.find(q->i64(5)); it != held.end()) {
      s.observations = it->second.observations;
      for (int64_t code : it->second.periods) {
        Period p = Period::from_code(code);
        if (!first || p.first_month() < first->first_month()) first = p;
        if (!last || last->last_month() < p.last_month()) last = p;
      }
    }
    if (first) s.first_period = first->to_string();
    if (last) s.last_period = last->to_string();
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<VintageInfo> SqlSeriesStore::vintages(const std::string& source) {
  std::vector<VintageInfo> out;
  auto q = db_->prepare("SELECT src.code, v.number, v.file, v.digest, v.format, v.ingested_at, v.rows_read, "
                   "v.rows_written FROM vintage v JOIN source src ON src.id = v.source_id "
                   "WHERE src.code = ? ORDER BY v.number");
  q->bind(1, source);
  while (q->step())
    out.push_back(VintageInfo{q->text(0), static_cast<int>(q->i64(1)), q->text(2), q->text(3), q->text(4), q->text(5),
                              static_cast<uint64_t>(q->i64(6)), static_cast<uint64_t>(q->i64(7))});
  return out;
}

std::vector<CoveredPeriod> SqlSeriesStore::covered_periods(const std::string& source, std::optional<int> vintage) {
  // A period is covered when some series holds a value there in the view
  // as of the vintage asked for; per (shape, period), the least settled
  // status: provisional over estimated over final.
  std::string shape = "0";
  for (size_t d = 1; d < std::size(kDimensions); ++d)
    shape += " + CASE WHEN s." + std::string(kDimensions[d]) + " <> '' THEN " + std::to_string(1u << d) + " ELSE 0 END";
  auto q = db_->prepare("SELECT b.series_id, b.vintage_id, b.vintage_id, b.points, b.data, " + shape +
                        " FROM observation_block b JOIN series s ON s.id = b.series_id "
                        "JOIN source src ON src.id = s.source_id JOIN vintage v ON v.id = b.vintage_id "
                        "WHERE src.code = ? AND v.number <= ? ORDER BY b.series_id, b.vintage_id");
  q->bind(1, source).bind(2, static_cast<int64_t>(vintage.value_or(1 << 30)));
  auto rank = [](uint8_t status) { return status == 1 ? 2 : status == 3 ? 1 : 0; };
  static constexpr Status kByRank[] = {Status::Final, Status::Estimated, Status::Provisional};
  std::map<std::pair<uint32_t, int64_t>, int> least_settled;  // (shape, period code) -> rank
  uint32_t series_shape = 0;
  read_views(
      *q, [&](sql::Statement& row) { series_shape = static_cast<uint32_t>(row.i64(5)); },
      [&](int64_t, const SeriesView& view) {
        for (const HeldPoint& p : view.points()) {
          auto [it, added] = least_settled.emplace(std::make_pair(series_shape, p.period), rank(p.status));
          if (!added) it->second = std::max(it->second, rank(p.status));
        }
      });
  std::vector<CoveredPeriod> out;
  for (auto& [at, r] : least_settled) out.push_back(CoveredPeriod{at.first, Period::from_code(at.second), kByRank[r]});
  return out;
}

std::vector<StoredSeries> SqlSeriesStore::select(const SeriesSelection& sel) {
  std::string sql =
      "SELECT b.series_id, b.vintage_id, v.number, b.points, b.data, src.code, s.reporter, s.location, "
      "s.citizenship, s.event, s.demographic, s.authority, s.unit, s.counterpart FROM series s "
      "JOIN source src ON src.id = s.source_id JOIN observation_block b ON b.series_id = s.id "
      "JOIN vintage v ON v.id = b.vintage_id WHERE 1=1";
  std::vector<std::string> binds;
  for (auto& [dim, values] : sel.dimensions) {
    if (values.empty()) continue;
    std::string column = dim == "source" ? "src.code" : "s." + dim;
    if (std::find(std::begin(kDimensions), std::end(kDimensions), dim) == std::end(kDimensions))
      throw Error(ErrorCode::InvalidArgument, "dimension", "unknown dimension '" + dim + "'");
    sql += " AND " + column + " IN (";
    for (size_t i = 0; i < values.size(); ++i) {
      sql += i ? ",?" : "?";
      binds.push_back(values[i]);
    }
    sql += ")";
  }
  if (sel.vintage) sql += " AND v.number <= " + std::to_string(*sel.vintage);
  sql += " ORDER BY b.series_id, b.vintage_id";
  auto q = db_->prepare(sql);
  for (size_t i = 0; i < binds.size(); ++i) q->bind(static_cast<int>(i + 1), binds[i]);
  std::vector<StoredSeries> out;
  read_views(
      *q,
      [&](sql::Statement& r) {
        StoredSeries s;
        s.key = SeriesKey{r.text(5), r.text(6), r.text(7), r.text(8), r.text(9), r.text(10), r.text(11), r.text(13)};
        s.unit = static_cast<Unit>(r.i64(12));
        out.push_back(std::move(s));
      },
      [&](int64_t, const SeriesView& view) {
        // A series whose every value was withdrawn is not shown.
        if (view.points().empty()) {
          out.pop_back();
          return;
        }
        auto& points = out.back().points;
        points.reserve(view.points().size());
        for (const HeldPoint& p : view.points())
          points.push_back(StoredPoint{Period::from_code(p.period), p.value, static_cast<Status>(p.status),
                                       static_cast<int>(p.vintage)});
      });
  return out;
}

}  // namespace

std::unique_ptr<SeriesStore> open_store(const std::string& location) {
  return std::make_unique<SqlSeriesStore>(sql::connect(location));
}

}  // namespace atalaya
