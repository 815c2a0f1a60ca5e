// The administrators' endpoint for the audit trail (who did what, from
// where, with what outcome). Accounts and personal tokens: endpoints_users.cpp.
#include <climits>

#include "atalaya/serve/api_error.h"
#include "atalaya/serve/endpoint.h"
#include "atalaya/serve/request_access.h"

namespace atalaya::serve {
namespace {

using nlohmann::json;

// A line of the trail. It holds personal data (the actor's address), which
// is why reading it needs read_audit (administrators).
json audit_line_json(const audit::AuditRecord& r) {
  const AuditEntry& e = r.entry;
  json detail = nullptr;
  if (!e.detail.empty()) {
    detail = json::parse(e.detail, nullptr, false);
    if (detail.is_discarded()) detail = e.detail;
  }
  return {{"id", r.id},
          {"at", r.at},
          {"person", e.actor.name},
          {"person_id", e.actor.person_id == 0 ? json(nullptr) : json(e.actor.person_id)},
          {"origin", e.actor.origin},
          {"credential", e.actor.credential},
          {"action", e.action},
          {"object", e.object},
          {"outcome", e.outcome},
          {"detail", detail}};
}

std::string bounded_text(const RequestParams& p, const char* name) {
  if (!p.has(name)) return "";
  std::string v = p.text(name);
  if (v.size() > 200) throw ApiError(400, name, std::string(name) + ": at most 200 characters");
  return v;
}

ApiAnswer audit_trail(const ApiContext& ctx, const ApiCall& call) {
  AuditWriter& trail = ctx.gate.audit();
  if (!trail.enabled()) throw ApiError(409, "", "this server was started without an audit trail");
  const RequestParams& p = call.params;
  audit::AuditFilter f;
  f.person = bounded_text(p, "person");
  f.action = bounded_text(p, "action");
  f.object = bounded_text(p, "object");
  f.outcome = p.has("outcome") ? p.choice("outcome", {"ok", "denied", "refused", "failed"}, "ok") : "";
  f.from = bounded_text(p, "from");  // checked by the trail (Error naming from or to)
  f.to = bounded_text(p, "to");
  f.before_id = p.integer("before", 0, 0, INT_MAX);
  f.limit = static_cast<size_t>(p.integer("limit", 200, 1, 5000));
  const std::vector<audit::AuditRecord> lines = trail.lines(f);
  json out = json::array();
  for (auto& r : lines) out.push_back(audit_line_json(r));
  // The next page: lines older than the last one shown.
  json next = lines.size() == f.limit ? json(lines.back().id) : json(nullptr);
  return json_answer({{"lines", out}, {"before", next}});
}

}  // namespace

std::vector<Endpoint> account_endpoints() {
  return {
      needs({"GET", "/api/v1/audit", {"person", "action", "object", "outcome", "from", "to", "before", "limit"}, false,
             audit_trail},
            access::Right::ReadAudit, "read.audit"),
  };
}

}  // namespace atalaya::serve
