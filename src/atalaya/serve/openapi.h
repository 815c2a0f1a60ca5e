// The API's OpenAPI 3.0 description: serve/openapi.json, compiled into the
// program at build time (CMake writes it into a generated source), so the
// binary serves the document of its own version. serve/openapi_test.cpp holds
// it in step with the route table (all_endpoints()).
#pragma once

#include <string_view>

namespace atalaya::serve {

std::string_view openapi_document();

}  // namespace atalaya::serve
