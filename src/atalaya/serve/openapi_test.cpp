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

#include "atalaya/serve/fake_authenticator_testing.h"
#include "atalaya/serve/openapi.h"
#include "atalaya/serve/serve_testing.h"

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
    EXPECT_TRUE(op.contains("responses") && op["responses"].contains("200")) << e.path;
  }
  for (auto& [path, item] : doc["paths"].items())
    for (auto& [method, op] : item.items())
      described.insert({method, path});
  for (auto& d : described)
    EXPECT_TRUE(served.count(d)) << d.first << " " << d.second << " is described but not served";
}

TEST(OpenApi, LiveAnswersHaveTheDescribedRequiredProperties) {
  const json doc = document();
  // Asked by an administrator, who may read every endpoint (the audit trail too).
  auto accounts = std::make_shared<atalaya::testing::FakeAuthenticator>();
  accounts->tokens["atl_admin"] = atalaya::testing::person(1, "ada", {{access::Role::Administrator, {}}});
  atalaya::testing::ServedStore served("openapi", "", [&](ServerOptions& o) {
    o.accounts = accounts;
    o.audit = std::make_shared<atalaya::testing::MemoryAuditLog>();
  });
  auto client = served.client();
  client.set_default_headers({{"Authorization", "Bearer atl_admin"}});
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
