// A source's new vintage from an uploaded file (POST
// /api/v1/sources/{id}/vintages): the file arrives on disk (the front
// streamed it there), raw or as the one file part of a multipart form; it is
// read through the source's registered mapping exactly as `atalaya ingest`
// reads it (read_vintage_file), and either refused with its problems (422,
// nothing stored) or written as a vintage, or with ?dry_run=1 previewed: the
// same write computed and rolled back.
#include <algorithm>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <set>

#include "atalaya/core/text.h"
#include "atalaya/ingest/vintage_file.h"
#include "atalaya/serve/api_error.h"
#include "atalaya/serve/endpoint.h"
#include "atalaya/serve/request_access.h"
#include "atalaya/serve/multipart.h"
#include "atalaya/serve/upload_file.h"
#include "atalaya/store/audit/audit_log.h"

namespace atalaya::serve {

// Who may upload data naming these reporters (country codes) for a source.
// This is the one place uploads are authorised: today, with an editors file
// an editor's bearer token (any reporter), without one anyone who reaches the
// server (a single-user server); with accounts, each reporter is checked
// against the principal's rights (Right::UploadData, scoped per reporter).
// Returns who uploads, as the audit trail records it.
Actor authorize_upload(const ApiContext&, const ApiCall& call, const std::set<std::string>& reporters) {
  // upload_data in some scope first (so that a file naming no reporter is
  // no way round), then for each reporter: a focal point's scope, the data
  // team's every one.
  const auto held = access::held_rights(call.access->principal);
  if (std::find(held.begin(), held.end(), access::Right::UploadData) == held.end())
    call.access->require(access::Right::UploadData);
  for (const std::string& r : reporters) call.access->require(access::Right::UploadData, r);
  return call.access->principal.actor;
}

namespace {

// A file's bytes, mapped read-only for as long as this lives.
class MappedBody {
 public:
  explicit MappedBody(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd < 0 || ::fstat(fd, &st) != 0) {
      if (fd >= 0) ::close(fd);
      throw std::runtime_error("cannot read the upload back from its temporary file");
    }
    size_ = static_cast<size_t>(st.st_size);
    if (size_) data_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (data_ == MAP_FAILED) throw std::runtime_error("cannot map the upload's temporary file");
  }
  ~MappedBody() {
    if (data_ && data_ != MAP_FAILED) ::munmap(data_, size_);
  }
  std::string_view bytes() const { return size_ ? std::string_view(static_cast<const char*>(data_), size_) : ""; }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
};

bool dry_run_of(const RequestParams& p) {
  const std::string v = p.choice("dry_run", {"0", "1", "false", "true"}, "0");
  return v == "1" || v == "true";
}

// The file's name as the vintage records it and problems name it.
std::string display_name(const std::string& given, const std::string& source) {
  std::string name;
  for (char c : given.substr(given.find_last_of("/\\") == std::string::npos ? 0 : given.find_last_of("/\\") + 1))
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) name += c;
  if (name.size() > 255) name.resize(255);
  return name.empty() || name == "." || name == ".." ? source + "-upload.csv" : name;
}

nlohmann::json problem_json(const InputProblem& p) {
  // Values and columns are echoed shortened, as the command line prints them.
  return {{"file", p.file},
          {"line", p.line},
          {"column", echoed_value(p.column)},
          {"value", echoed_value(p.value)},
          {"expected", p.expected},
          {"message", p.to_string()}};
}

// 422: the file's problems, as the command line prints them; nothing stored.
ApiAnswer refuse_problems(const std::string& name, const std::vector<InputProblem>& problems, uint64_t omitted,
                          const std::string& summary) {
  nlohmann::json list = nlohmann::json::array();
  for (const InputProblem& p : problems) {
    InputProblem named = p;
    named.file = name;
    list.push_back(problem_json(named));
  }
  nlohmann::json body;
  body["error"] = {{"status", 422}, {"parameter", "file"}, {"message", summary}};
  body["problems"] = list;
  body["problems_omitted"] = omitted;
  ApiAnswer a = json_answer(body);
  a.status = 422;
  return a;
}

nlohmann::json revision_json(const Revision& r) {
  nlohmann::json key;
  for (std::string_view d : kDimensions) key[std::string(d)] = std::string(*dimension_value(r.key, d));
  key["unit"] = std::string(unit_name(r.unit));
  return {{"series", key},
          {"period", r.period.to_string()},
          {"old_value", r.old_value},
          {"new_value", r.new_value},
          {"change", r.new_value - r.old_value},
          {"old_status", std::string(status_name(r.old_status))},
          {"new_status", std::string(status_name(r.new_status))},
          {"revises_vintage", r.revises_vintage}};
}

// The audit line of an upload refused before it reached the store (the
// store records every write it is given, refused or not). A trail that
// cannot be written does not change the answer.
void record_refusal(const ApiContext& ctx, const Actor& actor, const std::string& source, bool dry_run,
                    nlohmann::json detail) {
  if (ctx.uploads.store.empty()) return;
  AuditEntry e;
  e.actor = actor;
  e.action = dry_run ? "vintage.preview" : "vintage.write";
  e.object = "source:" + source;
  e.outcome = "refused";
  e.detail = detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  try {
    audit::open_audit_log(ctx.uploads.store)->record(e);
  } catch (const std::exception& err) {
    std::cerr << "atalaya serve: the audit line of a refused upload was not written: " << err.what() << "\n";
  }
}

ApiAnswer upload_vintage(const ApiContext& ctx, const ApiCall& call) {
  const std::string source = call.path_args.at(0);
  const bool dry_run = dry_run_of(call.params);
  if (!call.upload) throw ApiError(500, "", "the upload's body was not kept on disk");
  // The source: known to the store, or registered (sources/ID.toml).
  std::set<std::string> stored_reporters;
  bool stored = false;
  for (const SourceSummary& s : ctx.data->sources) stored = stored || s.source == source;
  for (const StoredSeries& s : ctx.data->cube.series())
    if (s.key.source == source) stored_reporters.insert(s.key.reporter);
  std::optional<Mapping> mapping;
  try {
    mapping = registered_mapping(ctx.uploads.sources_dir, source);
  } catch (const InputError& e) {
    throw ApiError(500, "id", "id: the mapping registered for " + source + " cannot be read: " + e.what());
  }
  if (!stored && !mapping)
    throw ApiError(404, "id", "id: no source '" + echoed_value(source) + "' (neither in the store nor registered with a mapping in " +
                                  (ctx.uploads.sources_dir.empty() ? std::string("no sources directory") : ctx.uploads.sources_dir) +
                                  "; GET /api/v1/sources lists the stored ones)");
  // Who asks, before any work on the file: the source's stored reporters.
  const Actor actor = authorize_upload(ctx, call, stored_reporters);

  // The file: the whole body, or the one file part of a multipart form,
  // copied to a file of its own (the ingest reads files).
  std::string given_name = call.params.has("filename") ? call.params.text("filename") : "";
  const UploadFile* file = call.upload;
  std::unique_ptr<UploadFile> part_file;
  if (auto boundary = multipart_boundary(call.content_type)) {
    MappedBody body(call.upload->path());
    MultipartFile part = find_file_part(body.bytes(), *boundary);
    if (given_name.empty()) given_name = part.filename;
    part_file = std::make_unique<UploadFile>(ctx.uploads.dir);
    if (!part_file->write(body.bytes().substr(part.offset, part.length)))
      throw ApiError(507, "", "the server could not keep the upload (" + part_file->error() + "); try again later");
    file = part_file.get();
  }
  const std::string name = display_name(given_name, source);

  VintageFile read;
  try {
    read = read_vintage_file(file->path(), mapping ? &*mapping : nullptr, VintageFileOptions{});
  } catch (const InputError& e) {
    record_refusal(ctx, actor, source, dry_run, {{"file", name}, {"reason", "unreadable"}, {"problems", e.problems().size()}});
    return refuse_problems(name, e.problems(), 0,
                    name + ": cannot be read as " + source +
                        (mapping ? " through its mapping " + std::filesystem::path(mapping->path).filename().string()
                                 : std::string(" (no mapping registered: a CBP layout or SDMX-CSV is expected)")) +
                        "; nothing was stored");
  }
  ParsedFile& parsed = read.file;
  parsed.path = name;
  for (auto& p : parsed.problems) p.file = name;
  if (read.refused) {
    record_refusal(ctx, actor, source, dry_run, {{"file", name}, {"reason", "problems"}, {"problems", parsed.problem_count()}});
    return refuse_problems(name, parsed.problems, parsed.problems_omitted,
                    name + ": " + std::to_string(parsed.problem_count()) +
                        (parsed.problem_count() == 1 ? " problem" : " problems") + "; nothing was stored");
  }
  if (parsed.source != source) {
    record_refusal(ctx, actor, source, dry_run, {{"file", name}, {"reason", "other_source"}, {"holds", parsed.source}});
    throw ApiError(422, "file", "file: " + name + " holds source " + parsed.source + ", not " + source +
                                    "; upload it to /api/v1/sources/" + parsed.source + "/vintages");
  }
  std::set<std::string> file_reporters;
  for (const SeriesDef& s : parsed.series) file_reporters.insert(s.key.reporter);
  authorize_upload(ctx, call, file_reporters);
  if (call.cancelled && *call.cancelled) throw ApiError(503, "", "the upload took too long; nothing was stored");

  // The store records the write (or preview, or refusal) itself.
  WriteOptions options;
  options.dry_run = dry_run;
  options.actor = actor;
  WriteResult r;
  try {
    r = ctx.store.with([&](SeriesStore& s) { return s.write_vintage(parsed, options); });
  } catch (const WithdrawalRefused& e) {
    throw ApiError(422, "file", std::string("file: ") + e.what());
  }
  if (!dry_run && r.outcome == WriteOutcome::NewVintage) ctx.snapshots.invalidate();

  nlohmann::json revisions = nlohmann::json::array();
  for (const Revision& v : r.largest_revisions) revisions.push_back(revision_json(v));
  nlohmann::json out{{"source", source},
                     {"file", name},
                     {"format", parsed.format},
                     {"dry_run", dry_run},
                     {"outcome", write_outcome_name(r.outcome)},
                     {"vintage", r.vintage == 0 ? nlohmann::json(nullptr) : nlohmann::json(r.vintage)},
                     {"rows_read", parsed.rows_read},
                     {"observations", parsed.rows.size()},
                     {"rows_new", r.rows_written - r.rows_revised},
                     {"rows_revised", r.rows_revised},
                     {"rows_withdrawn", r.rows_withdrawn},
                     {"series_added", r.series_added},
                     {"largest_revisions", revisions}};
  ApiAnswer a = json_answer(out);
  if (!dry_run && r.outcome == WriteOutcome::NewVintage) a.status = 201;
  return a;
}

}  // namespace

std::vector<Endpoint> upload_endpoints() {
  Endpoint e{"POST", "/api/v1/sources/{id}/vintages", {"dry_run", "filename"}, false, upload_vintage};
  e.upload = true;
  return {e};
}

}  // namespace atalaya::serve
