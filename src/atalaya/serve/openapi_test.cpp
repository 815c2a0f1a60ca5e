// The OpenAPI document and the server's route table must say the same thing:
// every endpoint described, with the query parameters it really accepts, and
// nothing described that the server does not serve. Then each described GET
// is called on a live server with the document's examples, and its answer
// must have the properties the document says are required.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "atalaya/access/account_store.h"
#include "atalaya/serve/openapi.h"
#include "atalaya/serve/process_testing.h"
#include "atalaya/serve/serve_testing.h"
#include "atalaya/store/audit/audit_log.h"

namespace atalaya::serve {
namespace {

using nlohmann::json;

json document() { return json::parse(openapi_document()); }

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Follows a "$ref": "#/components/..." within the document.
const json& resolve(const json& doc, const json& node) {
  if (!node.contains("$ref")) return node;
  const std::string ref = node["$ref"];
  return doc.at(json::json_pointer(ref.substr(1)));
}

TEST(OpenApi, IsAnOpenApi3Document) {
  const json doc = document();
  EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
  EXPECT_TRUE(doc["info"].contains("title"));
  EXPECT_FALSE(doc["paths"].empty());
}

TEST(OpenApi, DescribesEveryEndpointTheServerServesAndNoOther) {
  const json doc = document();
  std::set<std::pair<std::string, std::string>> served, described;
  for (const Endpoint& e : all_endpoints()) {
    served.insert({lower(e.method), e.path});
    ASSERT_TRUE(doc["paths"].contains(e.path)) << e.method << " " << e.path << " is served but not described";
    ASSERT_TRUE(doc["paths"][e.path].contains(lower(e.method)))
        << e.method << " " << e.path << " is served but its method is not described";
    const json& op = doc["paths"][e.path][lower(e.method)];
    std::set<std::string> query, path_params;
    for (auto& p : op.value("parameters", json::array())) {
      const json& param = resolve(doc, p);
      if (param["in"] == "query") query.insert(param["name"].get<std::string>());
      if (param["in"] == "path") path_params.insert(param["name"].get<std::string>());
    }
    const std::set<std::string> accepted(e.query.begin(), e.query.end());
    EXPECT_EQ(query, accepted) << e.method << " " << e.path << ": described query parameters differ from accepted ones";
    std::set<std::string> in_path;
    const std::regex segment(R"(\{([^}]+)\})");
    for (std::sregex_iterator it(e.path.begin(), e.path.end(), segment), end; it != end; ++it)
      in_path.insert((*it)[1].str());
    EXPECT_EQ(path_params, in_path) << e.path << ": path parameters";
    // A read answers 200; a change that records something new, 201.
    EXPECT_TRUE(op.contains("responses") && (op["responses"].contains("200") || op["responses"].contains("201")))
        << e.path;
  }
  for (auto& [path, item] : doc["paths"].items())
    for (auto& [method, op] : item.items())
      described.insert({method, path});
  for (auto& d : described)
    EXPECT_TRUE(served.count(d)) << d.first << " " << d.second << " is described but not served";
}

TEST(OpenApi, LiveAnswersHaveTheDescribedRequiredProperties) {
  const json doc = document();
  // Asked by an administrator, who may read every endpoint (the audit trail,
  // the accounts): the store's own accounts and trail, with its first
  // account and a personal token made as the command line makes them.
  std::string token;
  atalaya::testing::ServedStore served("openapi", "", [&](ServerOptions& o) {
    atalaya::testing::seed_la_declaration(o.db);  // the process's examples name its codes
    auto accounts = std::shared_ptr<access::AccountStore>(access::open_account_store(o.db));
    access::NewAccount admin;
    admin.name = "ada";
    admin.email = "ada@example.org";
    admin.password = "a long enough password";
    admin.grants = {{access::Role::Administrator, {}}};
    const auto by = access::Principal::local_operator("test");
    accounts->add_account(by, admin);
    access::NewToken t;
    t.owner = "ada";
    t.name = "openapi test";
    t.rights = {std::begin(access::kRights), std::end(access::kRights)};
    token = accounts->create_token(by, t).secret;
    o.accounts = accounts;
    o.audit = audit::open_audit_log(o.db);
  });
  auto client = served.client();
  client.set_default_headers({{"Authorization", "Bearer " + token}});
  int checked = 0;
  for (auto& [path, item] : doc["paths"].items()) {
    if (!item.contains("get")) continue;
    const json& op = item["get"];
    std::string url = path, query;
    for (auto& p : op.value("parameters", json::array())) {
      const json& param = resolve(doc, p);
      const std::string name = param["name"];
      if (param["in"] == "path") {
        ASSERT_TRUE(param.contains("example")) << path << ": path parameter " << name << " needs an example";
        url = std::regex_replace(url, std::regex("\\{" + name + "\\}"),
                                 param["example"].is_string() ? param["example"].get<std::string>()
                                                              : param["example"].dump());
      } else if (param.value("required", false)) {
        ASSERT_TRUE(param.contains("example")) << path << ": required parameter " << name << " needs an example";
        query += (query.empty() ? "?" : "&") + name + "=" + param["example"].get<std::string>();
      }
    }
    if (path == "/api/v1/forecast" || path == "/api/v1/backtest") query = "?source=pa-snm-darien&citizenship=HTI";
    auto r = client.Get(url + query);
    ASSERT_TRUE(r) << url;
    ASSERT_EQ(r->status, 200) << url + query << ": " << r->body;
    const json& content = op["responses"]["200"]["content"];
    if (!content.contains("application/json")) {  // an XML answer (CAP, Atom): its described type
      const std::string type = content.begin().key();
      EXPECT_EQ(r->get_header_value("Content-Type").rfind(type, 0), 0u) << url << ": " << r->get_header_value("Content-Type");
      EXPECT_EQ(r->body.rfind("<?xml", 0), 0u) << url;
      ++checked;
      continue;
    }
    const json body = json::parse(r->body);
    const json& schema = resolve(doc, op["responses"]["200"]["content"]["application/json"]["schema"]);
    for (auto& required : schema.value("required", json::array()))
      EXPECT_TRUE(body.contains(required.get<std::string>()))
          << url << ": the answer lacks '" << required.get<std::string>() << "', which the document requires";
    ++checked;
  }
  EXPECT_GE(checked, 10);
}

}  // namespace
}  // namespace atalaya::serve
