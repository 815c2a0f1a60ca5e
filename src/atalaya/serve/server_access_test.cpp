// Who may call what, on a loopback server over the real Darién data with a
// fake account store (fake_authenticator_testing.h): the permission matrix
// walked over every endpoint and every role, sessions with their CSRF token,
// sign-in lockout and throttling, refused tokens, the cache never handing
// a restricted answer to the public, and the audit lines all this leaves.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "atalaya/access/account_store.h"
#include "atalaya/serve/fake_authenticator_testing.h"
#include "atalaya/serve/process_testing.h"
#include "atalaya/serve/serve_testing.h"
#include "atalaya/store/audit/audit_log.h"

namespace atalaya::serve {
namespace {

using access::Grant;
using access::Right;
using access::Role;
using atalaya::testing::person;
using nlohmann::json;

// The people of the matrix, each with a personal token "atl_<key>".
std::map<std::string, access::Principal> people() {
  return {
      {"administrator", person(1, "ada", {{Role::Administrator, {}}})},
      {"data_team", person(2, "dario", {{Role::DataTeam, {}}})},
      {"focal_point_pan", person(3, "paula", {{Role::FocalPoint, {"PAN"}}})},
      {"focal_point_col", person(7, "camila", {{Role::FocalPoint, {"COL"}}})},
      {"secretariat", person(8, "sofia", {{Role::Secretariat, {}}})},
      {"task_force", person(4, "tomas", {{Role::TaskForce, {}}})},
      {"analyst", person(5, "ana", {{Role::Analyst, {}}})},
      // A task force member's script that may only read.
      {"narrowed_token", person(6, "tomas", {{Role::TaskForce, {}}}, std::vector{Right::ReadPublished, Right::ReadRestricted})},
  };
}

// The right each call needs, written out here (not read from the endpoint
// table) so that a changed declaration shows up. Every other call needs
// read_published.
const std::map<std::string, Right>& expected_rights() {
  static const std::map<std::string, Right> rights = {
      {"POST /api/v1/alerts/{id}/acknowledge", Right::ChangeAlerts},
      {"POST /api/v1/alerts/{id}/resolve", Right::ChangeAlerts},
      {"POST /api/v1/events/{id}/acknowledge", Right::ChangeAlerts},
      {"POST /api/v1/events/{id}/resolve", Right::ChangeAlerts},
      {"GET /api/v1/drills", Right::ReadRestricted},
      {"GET /api/v1/events?drill", Right::ReadRestricted},
      {"GET /api/v1/alerts?drill", Right::ReadRestricted},
      {"GET /api/v1/audit", Right::ReadAudit},
      {"GET /api/v1/users", Right::ManageAccounts},
      {"POST /api/v1/users", Right::ManageAccounts},
      {"POST /api/v1/users/{id}/disable", Right::ManageAccounts},
      {"POST /api/v1/process/{d}/commitments", Right::ReportCommitments},
      {"POST /api/v1/process/{d}/commitments/{code}/reports", Right::ReportCommitments},
      {"POST /api/v1/process/{d}/commitments/{code}/assessments", Right::ManageProcess},
      {"POST /api/v1/process/{d}/meetings", Right::ManageProcess},
      {"POST /api/v1/process/{d}/pillars/{code}/changes", Right::ManageProcess},
      {"POST /api/v1/events/{id}/emergency-session", Right::CallEmergencySession},
  };
  return rights;
}

// Calls for anyone signed in (one's own tokens), refused to the public
// with 401 and no particular right.
const std::set<std::string> kSignedIn = {"GET /api/v1/tokens", "POST /api/v1/tokens", "DELETE /api/v1/tokens/{id}"};

struct Served {
  std::vector<std::string> trusted_proxies;
  std::shared_ptr<atalaya::testing::FakeAuthenticator> accounts = std::make_shared<atalaya::testing::FakeAuthenticator>();
  std::shared_ptr<atalaya::testing::MemoryAuditLog> audit = std::make_shared<atalaya::testing::MemoryAuditLog>();
  std::unique_ptr<atalaya::testing::ServedStore> store;

  explicit Served(const std::string& name, const std::string& editors = "", std::vector<std::string> proxies = {})
      : trusted_proxies(std::move(proxies)) {
    for (auto& [key, p] : people()) accounts->tokens["atl_" + key] = p;
    accounts->accounts["ana"] = {"correct horse battery", people()["analyst"]};
    accounts->accounts["tomas"] = {"correct horse battery", people()["task_force"]};
    accounts->accounts["locked"] = {"correct horse battery", people()["analyst"], false, std::chrono::seconds(900)};
    store = std::make_unique<atalaya::testing::ServedStore>(name, editors, [this](ServerOptions& o) {
      atalaya::testing::seed_la_declaration(o.db);
      o.accounts = accounts;
      o.audit = audit;
      o.trusted_proxies = trusted_proxies;
    });
  }
  httplib::Client client() const { return store->client(); }
};

httplib::Headers bearer(const std::string& key) {
  return key == "public" ? httplib::Headers{} : httplib::Headers{{"Authorization", "Bearer atl_" + key}};
}

httplib::Result call(httplib::Client& c, const std::string& method, const std::string& url, const httplib::Headers& h,
                     const std::string& body = "{}") {
  if (method == "GET") return c.Get(url, h);
  if (method == "DELETE") return c.Delete(url, h);
  return c.Post(url, h, body, "application/json");
}

std::string example_url(const Endpoint& e) {
  std::string url = e.path;
  url = std::regex_replace(url, std::regex(R"(/routes/\{id\})"), "/routes/darien-north");
  // The L.A. Process (the shipped seed): a declaration, a pillar, a
  // commitment of Colombia's, a meeting, a state.
  url = std::regex_replace(url, std::regex(R"(\{d\})"), "la-2022");
  url = std::regex_replace(url, std::regex(R"(/pillars/\{code\})"), "/pillars/P1");
  url = std::regex_replace(url, std::regex(R"(/commitments/\{code\})"), "/commitments/la-2022-P1-COL-etpv");
  url = std::regex_replace(url, std::regex(R"(/meetings/\{code\})"), "/meetings/lima-2022");
  url = std::regex_replace(url, std::regex(R"(\{party\})"), "COL");
  return std::regex_replace(url, std::regex(R"(\{id\})"), "1");
}

TEST(ServeAccess, EveryEndpointForEveryRoleFollowsTheMatrix) {
  Served served("serve-matrix");
  auto c = served.client();
  auto everyone = people();
  everyone["public"] = access::Principal::anonymous("127.0.0.1");
  int allowed = 0, refused = 0;
  for (const Endpoint& e : all_endpoints()) {
    std::vector<std::pair<std::string, std::string>> calls = {{e.method + " " + e.path, example_url(e)}};
    if (!e.restricted_by.empty())
      calls.push_back({e.method + " " + e.path + "?" + e.restricted_by, example_url(e) + "?drill=august-2021"});
    for (auto& [name, url] : calls) {
      const auto it = expected_rights().find(name);
      const Right right = it == expected_rights().end() ? Right::ReadPublished : it->second;
      if (e.restricted_by.empty() || name.find('?') != std::string::npos) {
        // The declaration matches the table (restricted_by stands for its variant).
        EXPECT_EQ(access::right_name(e.right == Right::ReadPublished && !e.restricted_by.empty() ? Right::ReadRestricted : e.right),
                  access::right_name(right))
            << name;
      }
      for (auto& [who, principal] : everyone) {
        // Expected from the roles' rights (the matrix) and the token's subset.
        bool may = right == Right::ReadPublished;
        for (const Grant& g : principal.grants)
          for (Right r : access::rights_of(g.role)) may = may || r == right;
        if (principal.token_rights)
          may = may && std::find(principal.token_rights->begin(), principal.token_rights->end(), right) !=
                           principal.token_rights->end();
        if (right == Right::ReadPublished) may = true;
        auto r = call(c, e.method, url, bearer(who));
        ASSERT_TRUE(r) << name << " as " << who;
        if (kSignedIn.count(name)) {
          if (who == "public") {
            EXPECT_EQ(r->status, 401) << name;
          } else {
            EXPECT_NE(r->status, 401) << name << " as " << who << ": " << r->body;
            EXPECT_NE(r->status, 403) << name << " as " << who << ": " << r->body;
          }
          continue;
        }
        if (may) {
          EXPECT_NE(r->status, 401) << name << " as " << who << ": " << r->body;
          EXPECT_NE(r->status, 403) << name << " as " << who << ": " << r->body;
          ++allowed;
        } else {
          EXPECT_EQ(r->status, who == "public" ? 401 : 403) << name << " as " << who << ": " << r->body;
          const json error = json::parse(r->body)["error"];
          EXPECT_EQ(error["parameter"], "Authorization") << r->body;
          EXPECT_EQ(error["missing_right"], access::right_name(right)) << name << " as " << who << ": " << r->body;
          if (who == "public") {
            EXPECT_FALSE(r->get_header_value("WWW-Authenticate").empty()) << name;
          }
          ++refused;
        }
      }
    }
  }
  EXPECT_GT(allowed, 100);
  EXPECT_GT(refused, 20);
}

// The process's rights, scope by scope: a focal point reports for its own
// states only, the secretariat assesses but does not report, the task
// force calls emergency sessions but does not assess, the public reads.
TEST(ServeAccess, TheProcessRightsFollowTheRolesAndTheFocalPointsStates) {
  Served served("serve-process");
  auto c = served.client();
  const std::string base = "/api/v1/process/la-2022/commitments/";
  const std::string report = R"({"meeting": "lima-2022", "status": "in_progress"})";
  const std::string assessment = R"({"meeting": "lima-2022", "completion": "limited"})";
  auto status_of = [&](const std::string& who, const std::string& url, const std::string& body, std::string* missing) {
    auto r = call(c, "POST", url, bearer(who), body);
    if (!r) return -1;
    if (missing) *missing = r->status >= 400 ? json::parse(r->body)["error"].value("missing_right", "") : "";
    return r->status;
  };
  std::string missing;
  EXPECT_EQ(status_of("focal_point_col", base + "la-2022-P1-COL-etpv/reports", report, &missing), 201);
  EXPECT_EQ(status_of("focal_point_col", base + "la-2022-P2-USA-h2b/reports", report, &missing), 403);
  EXPECT_EQ(missing, "report_commitments:USA");
  EXPECT_EQ(status_of("focal_point_pan", base + "la-2022-P1-COL-etpv/reports", report, &missing), 403);
  EXPECT_EQ(missing, "report_commitments:COL");
  EXPECT_EQ(status_of("secretariat", base + "la-2022-P2-USA-h2b/assessments", assessment, &missing), 201);
  EXPECT_EQ(status_of("secretariat", base + "la-2022-P1-COL-etpv/reports", report, &missing), 403);
  EXPECT_EQ(missing, "report_commitments");
  EXPECT_EQ(status_of("task_force", base + "la-2022-P2-USA-h2b/assessments", assessment, &missing), 403);
  EXPECT_EQ(missing, "manage_process");
  // The task force may call a session (the sample event is off any route: the planner refuses it, not the matrix).
  const int session = status_of("task_force", "/api/v1/events/1/emergency-session",
                                R"({"declaration": "la-2022", "held_on": "2022-11-01"})", &missing);
  EXPECT_NE(session, 401);
  EXPECT_NE(session, 403);
  EXPECT_EQ(status_of("focal_point_col", "/api/v1/events/1/emergency-session",
                      R"({"declaration": "la-2022", "held_on": "2022-11-01"})", &missing),
            403);
  EXPECT_EQ(missing, "call_emergency_session");
  EXPECT_EQ(status_of("public", base + "la-2022-P1-COL-etpv/reports", report, &missing), 401);
  EXPECT_EQ(status_of("public", base + "la-2022-P2-USA-h2b/assessments", assessment, &missing), 401);
  for (const std::string& url : {std::string("/api/v1/process/la-2022/matrix"), base + "la-2022-P1-COL-etpv",
                                 std::string("/api/v1/process/la-2022/states/COL")}) {
    auto r = c.Get(url);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << url;
  }
  // The refused reports stored nothing; the allowed one is there.
  const json history = json::parse(c.Get(base + "la-2022-P1-COL-etpv")->body)["statuses"];
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0]["status"], "in_progress");
}

TEST(ServeAccess, ABadTokenIsRefusedNotTakenAsThePublic) {
  Served served("serve-revoked");
  auto c = served.client();
  const std::string url = "/api/v1/series?source=pa-snm-darien&citizenship=HTI&from=2021-08&to=2021-08";
  auto before = c.Get(url, bearer("analyst"));
  ASSERT_TRUE(before);
  EXPECT_EQ(before->status, 200);
  {
    auto lock = served.accounts->lock();
    served.accounts->tokens.erase("atl_analyst");  // revoked or expired: the store no longer knows it
  }
  for (const std::string& path : {url, std::string("/api/v1/health")}) {
    auto after = c.Get(path, bearer("analyst"));
    ASSERT_TRUE(after);
    EXPECT_EQ(after->status, 401) << path;
    EXPECT_EQ(json::parse(after->body)["error"]["parameter"], "Authorization");
    EXPECT_FALSE(after->get_header_value("WWW-Authenticate").empty());
  }
  // Without a token, the same query is the public's.
  auto anonymous = c.Get(url);
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 200);
  // A token that is not a personal token at all (an editors-file token, say).
  auto other = c.Get(url, {{"Authorization", "Bearer password"}});
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 401);
}

TEST(ServeAccess, SessionsCarryACookieAndChangesNeedItsCsrfToken) {
  Served served("serve-session");
  auto c = served.client();
  auto r = c.Post("/api/v1/session", R"({"login": "tomas", "password": "correct horse battery"})", "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const std::string set_cookie = r->get_header_value("Set-Cookie");
  EXPECT_EQ(set_cookie.rfind("atalaya_session=session-", 0), 0u) << set_cookie;
  for (const char* attribute : {"; HttpOnly", "; SameSite=Strict", "; Path=/"})
    EXPECT_NE(set_cookie.find(attribute), std::string::npos) << set_cookie;
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos) << "plain HTTP, no proxy: " << set_cookie;
  const json who = json::parse(r->body);
  EXPECT_EQ(who["name"], "tomas");
  EXPECT_EQ(who["roles"][0]["role"], "task_force");
  EXPECT_NE(std::find(who["rights"].begin(), who["rights"].end(), "change_alerts"), who["rights"].end());
  const std::string csrf = who["csrf_token"];
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));

  auto me = c.Get("/api/v1/me", {{"Cookie", cookie}});
  ASSERT_TRUE(me);
  EXPECT_EQ(json::parse(me->body)["name"], "tomas");
  EXPECT_EQ(json::parse(me->body)["csrf_token"], csrf);

  const std::string change = "/api/v1/alerts/1/acknowledge";
  const std::string body = R"({"by": "mallory", "note": "called the border office"})";
  for (const httplib::Headers& h : {httplib::Headers{{"Cookie", cookie}},
                                    httplib::Headers{{"Cookie", cookie}, {"X-CSRF-Token", "csrf-999"}},
                                    httplib::Headers{{"Cookie", cookie}, {"X-CSRF-Token", csrf + "x"}}}) {
    auto refused = c.Post(change, h, body, "application/json");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 403) << refused->body;
    EXPECT_EQ(json::parse(refused->body)["error"]["parameter"], "X-CSRF-Token");
  }
  auto ok = c.Post(change, {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}, body, "application/json");
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->status, 200) << ok->body;
  // Who acted comes from the session, not from the body's "by".
  EXPECT_EQ(json::parse(ok->body)["history"].back()["actor"], "tomas");

  // A token needs no CSRF token: it is no ambient credential.
  auto by_token = c.Post("/api/v1/alerts/1/resolve", bearer("task_force"), "{}", "application/json");
  ASSERT_TRUE(by_token);
  EXPECT_EQ(by_token->status, 200) << by_token->body;

  // Sign out: with the CSRF token; the cookie is cleared and the session ended.
  auto no_csrf = c.Delete("/api/v1/session", {{"Cookie", cookie}});
  ASSERT_TRUE(no_csrf);
  EXPECT_EQ(no_csrf->status, 403);
  auto out = c.Delete("/api/v1/session", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 200) << out->body;
  EXPECT_NE(out->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
  {
    auto lock = served.accounts->lock();
    EXPECT_EQ(served.accounts->logged_out, std::vector<std::string>{cookie.substr(cookie.find('=') + 1)});
  }
  auto after = c.Get("/api/v1/me", {{"Cookie", cookie}});
  ASSERT_TRUE(after);
  EXPECT_EQ(json::parse(after->body)["public"], true);  // an ended session is the public again
}

TEST(ServeAccess, SignInAnswersTheSameForUnknownAndWrongAndLocksOut) {
  Served served("serve-login");
  auto c = served.client();
  auto unknown = c.Post("/api/v1/session", R"({"login": "nobody", "password": "correct horse battery"})", "application/json");
  auto wrong = c.Post("/api/v1/session", R"({"login": "ana", "password": "wrong horse"})", "application/json");
  ASSERT_TRUE(unknown && wrong);
  EXPECT_EQ(unknown->status, 401);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(json::parse(unknown->body)["error"]["message"], json::parse(wrong->body)["error"]["message"]);
  auto locked = c.Post("/api/v1/session", R"({"login": "locked", "password": "correct horse battery"})", "application/json");
  ASSERT_TRUE(locked);
  EXPECT_EQ(locked->status, 429) << locked->body;
  EXPECT_EQ(locked->get_header_value("Retry-After"), "900");
  auto missing = c.Post("/api/v1/session", R"({"login": "ana"})", "application/json");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 400);
  EXPECT_EQ(json::parse(missing->body)["error"]["parameter"], "password");
  // Not JSON: the write guard refuses it before any sign-in.
  auto form = c.Post("/api/v1/session", "login=ana&password=x", "application/x-www-form-urlencoded");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 415);
}

TEST(ServeAccess, TheServerThrottlesSignInsFromOneAddress) {
  Served served("serve-throttle");
  auto c = served.client();
  int throttled = 0;
  std::string retry_after;
  for (int i = 0; i < 15; ++i) {
    auto r = c.Post("/api/v1/session", R"({"login": "ana", "password": "guess )" + std::to_string(i) + R"("})",
                    "application/json");
    ASSERT_TRUE(r);
    if (r->status == 429) {
      ++throttled;
      retry_after = r->get_header_value("Retry-After");
    } else {
      EXPECT_EQ(r->status, 401);
    }
  }
  EXPECT_EQ(throttled, 5);  // a burst of 10, then refused
  EXPECT_FALSE(retry_after.empty());
  EXPECT_EQ(served.accounts->login_calls, 10);  // the throttled ones never reached the account store
}

TEST(ServeAccess, RestrictedAnswersNeverReachThePublic) {
  Served served("serve-leak");
  auto c = served.client();
  // A drill's inbox: the analyst reads it, the public is refused, before and after.
  for (const char* who : {"public", "analyst", "public"}) {
    auto r = c.Get("/api/v1/events?drill=august-2021", bearer(who));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, std::string(who) == "public" ? 401 : 200) << who << ": " << r->body;
  }
  // Histories: who acted and their notes are not public.
  auto ack = c.Post("/api/v1/alerts/1/acknowledge", bearer("task_force"), R"({"note": "called the border office"})",
                    "application/json");
  ASSERT_TRUE(ack);
  ASSERT_EQ(ack->status, 200) << ack->body;
  for (const char* who : {"analyst", "public", "analyst"}) {
    auto r = c.Get("/api/v1/alerts/1", bearer(who));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200);
    const json last = json::parse(r->body)["history"].back();
    if (std::string(who) == "public") {
      EXPECT_FALSE(last.contains("actor")) << last.dump();
      EXPECT_FALSE(last.contains("note")) << last.dump();
      EXPECT_EQ(last["status"], "acknowledged");
    } else {
      EXPECT_EQ(last["actor"], "tomas");
      EXPECT_EQ(last["note"], "called the border office");
    }
  }
  // Cached reads: someone who may read restricted data gets answers of their
  // own (never a proxy's shared copy), and the public's are kept apart.
  auto entries = [&] { return json::parse(c.Get("/api/v1/health")->body)["cache"]["entries"].get<int>(); };
  const int before = entries();
  auto analyst = c.Get("/api/v1/sources", bearer("analyst"));
  ASSERT_TRUE(analyst);
  EXPECT_EQ(analyst->get_header_value("Cache-Control"), "private, no-cache");
  auto anonymous = c.Get("/api/v1/sources");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->get_header_value("Cache-Control"), "public, max-age=60");
  EXPECT_EQ(entries(), before + 2);
  auto focal_point = c.Get("/api/v1/sources", bearer("focal_point_pan"));  // no restricted reads: the public's copy
  EXPECT_EQ(focal_point->get_header_value("Cache-Control"), "public, max-age=60");
  EXPECT_EQ(entries(), before + 2);
}

TEST(ServeAccess, RestrictedReadsAndRefusedChangesAreAudited) {
  Served served("serve-audit");
  auto c = served.client();
  ASSERT_EQ(c.Get("/api/v1/events?drill=august-2021", bearer("analyst"))->status, 200);
  ASSERT_EQ(c.Get("/api/v1/drills", bearer("analyst"))->status, 200);
  ASSERT_EQ(c.Post("/api/v1/alerts/2/resolve", bearer("analyst"), "{}", "application/json")->status, 403);
  ASSERT_EQ(c.Post("/api/v1/events/1/acknowledge", "{}", "application/json")->status, 401);
  ASSERT_EQ(c.Get("/api/v1/series?source=pa-snm-darien", bearer("analyst"))->status, 200);  // published: not audited
  auto trail = c.Get("/api/v1/audit", bearer("administrator"));
  ASSERT_TRUE(trail);
  EXPECT_EQ(trail->status, 200) << trail->body;
  served.store->stop();  // writes what waits in the audit queue
  std::vector<std::string> lines;
  for (auto& e : served.audit->entries())
    lines.push_back(e.actor.name + " " + e.action + " " + e.object + " " + e.outcome +
                    (e.detail.find("\"missing_right\":\"change_alerts\"") != std::string::npos ? " (change_alerts)" : ""));
  const std::vector<std::string> expected = {
      "ana read.events drill:august-2021 ok",
      "ana read.drills  ok",
      "ana alert.resolve alert:2 denied (change_alerts)",
      "anonymous event.acknowledge event:1 denied (change_alerts)",
      "ada read.audit  ok",
  };
  EXPECT_EQ(lines, expected);
  for (auto& e : served.audit->entries()) EXPECT_EQ(e.actor.origin, "127.0.0.1");
}

TEST(ServeAccess, TheAuditTrailIsForAdministrators) {
  Served served("serve-audit-read");
  auto c = served.client();
  ASSERT_EQ(c.Get("/api/v1/drills", bearer("analyst"))->status, 200);
  served.audit->record(AuditEntry{people()["analyst"].actor, "read.drill", "drill:x", "ok", ""});
  auto r = c.Get("/api/v1/audit?person=ana&limit=5", bearer("administrator"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json lines = json::parse(r->body)["lines"];
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0]["person"], "ana");
  EXPECT_TRUE(lines[0].contains("origin"));  // personal data: for administrators only
  EXPECT_EQ(c.Get("/api/v1/audit", bearer("analyst"))->status, 403);
  EXPECT_EQ(c.Get("/api/v1/audit?limit=0", bearer("administrator"))->status, 400);
}

// With the store's own audit trail (store/audit): the change's line comes
// from the alert store, in the change's transaction, naming the token's
// owner and address; the server's lines (a restricted read, a refusal) are
// beside it, and an administrator reads them all through the API.
TEST(ServeAccess, TheStoresTrailRecordsChangesReadsAndRefusals) {
  auto accounts = std::make_shared<atalaya::testing::FakeAuthenticator>();
  for (auto& [key, p] : people()) accounts->tokens["atl_" + key] = p;
  atalaya::testing::ServedStore served("serve-trail", "", [&](ServerOptions& o) {
    o.accounts = accounts;
    o.audit = audit::open_audit_log(o.db);
  });
  auto c = served.client();
  ASSERT_EQ(c.Post("/api/v1/alerts/1/acknowledge", bearer("task_force"), R"({"note": "on it"})", "application/json")->status,
            200);
  ASSERT_EQ(c.Post("/api/v1/alerts/1/resolve", bearer("analyst"), "{}", "application/json")->status, 403);
  ASSERT_EQ(c.Get("/api/v1/drills", bearer("analyst"))->status, 200);
  const std::string db = served.db_path();
  served.stop();  // the queued lines are written
  std::vector<std::string> lines;
  for (auto& r : audit::open_audit_log(db)->lines({}))
    if (r.entry.action.rfind("vintage.", 0) != 0)  // the fixture's ingest
      lines.push_back(r.entry.actor.name + " " + r.entry.actor.credential + " " + r.entry.actor.origin + " " +
                    r.entry.action + " " + r.entry.object + " " + r.entry.outcome);
  const std::vector<std::string> expected = {
      "ana token:5 127.0.0.1 read.drills  ok",
      "ana token:5 127.0.0.1 alert.resolve alert:1 denied",
      "tomas token:4 127.0.0.1 alert.acknowledge alert:1 ok",
  };
  EXPECT_EQ(lines, expected);
}

// The account store itself behind the API: an administrator adds a focal
// point, who signs in, makes a token, uses it and revokes it.
TEST(ServeAccess, AccountsAndTokensThroughTheApi) {
  std::string admin_token;
  atalaya::testing::ServedStore served("serve-users", "", [&](ServerOptions& o) {
    auto accounts = std::shared_ptr<access::AccountStore>(access::open_account_store(o.db));
    access::NewAccount admin{"ada", "ada@example.org", Language::En, "", {{Role::Administrator, {}}},
                             "a long enough password"};
    const auto by = access::Principal::local_operator("test");
    accounts->add_account(by, admin);
    admin_token = accounts->create_token(by, {"ada", "admin script", {Right::ManageAccounts}, std::chrono::days(1)}).secret;
    o.accounts = accounts;
    o.audit = audit::open_audit_log(o.db);
  });
  auto c = served.client();
  const httplib::Headers admin = {{"Authorization", "Bearer " + admin_token}};
  auto added = c.Post("/api/v1/users", admin,
                      R"({"name": "paula", "email": "paula@migracion.gob.pa", "password": "darien crossings 2021",
                          "roles": [{"role": "focal_point", "reporters": ["PAN"]}], "language": "es"})",
                      "application/json");
  ASSERT_TRUE(added);
  ASSERT_EQ(added->status, 200) << added->body;
  EXPECT_EQ(json::parse(added->body)["roles"][0]["reporters"][0], "PAN");
  auto weak = c.Post("/api/v1/users", admin, R"({"name": "x1", "email": "x1@example.org", "password": "short",
                      "roles": [{"role": "analyst"}]})", "application/json");
  ASSERT_TRUE(weak);
  EXPECT_EQ(weak->status, 400) << weak->body;
  EXPECT_EQ(json::parse(weak->body)["error"]["parameter"], "password");

  // Paula signs in and makes a token for her upload script.
  auto in = c.Post("/api/v1/session", R"({"login": "paula", "password": "darien crossings 2021"})", "application/json");
  ASSERT_TRUE(in);
  ASSERT_EQ(in->status, 200) << in->body;
  const std::string cookie = in->get_header_value("Set-Cookie").substr(0, in->get_header_value("Set-Cookie").find(';'));
  const std::string csrf = json::parse(in->body)["csrf_token"];
  auto made = c.Post("/api/v1/tokens", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}},
                     R"({"name": "monthly Darién upload", "rights": ["upload_data"], "expires_days": 30})",
                     "application/json");
  ASSERT_TRUE(made);
  ASSERT_EQ(made->status, 200) << made->body;
  const json token = json::parse(made->body);
  const std::string secret = token["token"];
  auto me = c.Get("/api/v1/me", {{"Authorization", "Bearer " + secret}});
  ASSERT_TRUE(me);
  EXPECT_EQ(json::parse(me->body)["name"], "paula");
  // Her own tokens, without their secrets; not the accounts (personal data).
  auto mine = c.Get("/api/v1/tokens", {{"Cookie", cookie}});
  ASSERT_TRUE(mine);
  EXPECT_EQ(mine->status, 200);
  EXPECT_EQ(mine->body.find(secret), std::string::npos);
  auto users = c.Get("/api/v1/users", {{"Cookie", cookie}});
  ASSERT_TRUE(users);
  EXPECT_EQ(users->status, 403);
  EXPECT_EQ(json::parse(users->body)["error"]["missing_right"], "manage_accounts");
  EXPECT_EQ(c.Get("/api/v1/users", admin)->body.find("paula@migracion.gob.pa") != std::string::npos, true);

  auto revoked = c.Delete("/api/v1/tokens/" + std::to_string(token["id"].get<int64_t>()),
                          {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  ASSERT_TRUE(revoked);
  ASSERT_EQ(revoked->status, 200) << revoked->body;
  auto after = c.Get("/api/v1/me", {{"Authorization", "Bearer " + secret}});
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 401);

  // Disabled: her session ends.
  auto disabled = c.Post("/api/v1/users/paula/disable", admin, "{}", "application/json");
  ASSERT_TRUE(disabled);
  ASSERT_EQ(disabled->status, 200) << disabled->body;
  EXPECT_EQ(json::parse(c.Get("/api/v1/me", {{"Cookie", cookie}})->body)["public"], true);
}

// Behind nginx on loopback: the client's address and scheme are the proxy's word.
TEST(ServeAccess, BehindATrustedProxyTheForwardedClientIsWhoAsks) {
  Served served("serve-proxy", "", {"127.0.0.1"});
  auto c = served.client();
  const httplib::Headers forwarded = {{"X-Forwarded-For", "10.0.0.1, 203.0.113.7"}, {"X-Forwarded-Proto", "https"}};
  auto r = c.Post("/api/v1/session", forwarded, R"({"login": "ana", "password": "correct horse battery"})",
                  "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->get_header_value("Set-Cookie").find("; Secure"), std::string::npos) << r->get_header_value("Set-Cookie");
  httplib::Headers h = forwarded;
  h.emplace("Authorization", "Bearer atl_analyst");
  ASSERT_EQ(c.Get("/api/v1/drills", h)->status, 200);
  served.store->stop();
  const auto entries = served.audit->entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].actor.origin, "203.0.113.7");
}

// Before the first account, a server keeps its older rules; once accounts
// exist, an editors file is ignored.
TEST(ServeAccess, WithoutAccountsTheSingleUserRulesHold) {
  Served served("serve-single");
  {
    auto lock = served.accounts->lock();
    served.accounts->accounts_exist = false;
  }
  auto c = served.client();
  EXPECT_EQ(json::parse(c.Get("/api/v1/health")->body)["changes"], "anyone");
  EXPECT_EQ(c.Get("/api/v1/drills")->status, 200);
  auto ack = c.Post("/api/v1/alerts/1/acknowledge", R"({"by": "maria"})", "application/json");
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->status, 200) << ack->body;
  EXPECT_EQ(json::parse(ack->body)["history"].back()["actor"], "maria");
  auto trail = c.Get("/api/v1/audit");  // needs an account
  ASSERT_TRUE(trail);
  EXPECT_EQ(trail->status, 401);
  EXPECT_EQ(json::parse(trail->body)["error"]["missing_right"], "read_audit");
  EXPECT_EQ(c.Post("/api/v1/session", R"({"login": "ana", "password": "correct horse battery"})", "application/json")->status,
            409);
}

TEST(ServeAccess, WithAccountsAnEditorsFileIsIgnored) {
  const std::string file = ::testing::TempDir() + "atalaya-editors-accounts-" + std::to_string(::getpid()) + ".txt";
  {
    std::ofstream out(file);
    out << "ana 5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8\n";  // token "password"
  }
  Served served("serve-editors-ignored", file);
  auto c = served.client();
  EXPECT_EQ(json::parse(c.Get("/api/v1/health")->body)["changes"], "accounts");
  auto r = c.Post("/api/v1/alerts/1/acknowledge", {{"Authorization", "Bearer password"}}, R"({"by": "ana"})",
                  "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401) << r->body;
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace atalaya::serve
