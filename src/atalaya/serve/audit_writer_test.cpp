#include "atalaya/serve/audit_writer.h"

#include <gtest/gtest.h>

#include "atalaya/serve/fake_authenticator_testing.h"

namespace atalaya::serve {
namespace {

AuditEntry line(const std::string& object) {
  AuditEntry e;
  e.actor.name = "ana";
  e.action = "read.drill";
  e.object = object;
  return e;
}

TEST(AuditWriter, WritesEveryQueuedLineInOrderByTheTimeItStops) {
  auto log = std::make_shared<atalaya::testing::MemoryAuditLog>();
  {
    AuditWriter writer(log, std::chrono::hours(1), 1000);  // neither the period nor the batch comes
    for (int i = 0; i < 5; ++i) writer.add(line("drill:" + std::to_string(i)));
  }
  const auto entries = log->entries();
  ASSERT_EQ(entries.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(entries[i].object, "drill:" + std::to_string(i));
}

TEST(AuditWriter, DropsTheOldestLinesBeyondItsBound) {
  auto log = std::make_shared<atalaya::testing::MemoryAuditLog>();
  AuditWriter writer(log, std::chrono::hours(1), 1000, 3);
  for (int i = 0; i < 5; ++i) writer.add(line("drill:" + std::to_string(i)));
  EXPECT_EQ(writer.dropped(), 2u);
  writer.flush();
  const auto entries = log->entries();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries.front().object, "drill:2");
}

TEST(AuditWriter, WithoutATrailLinesAreDiscarded) {
  AuditWriter writer(nullptr);
  EXPECT_FALSE(writer.enabled());
  writer.add(line("drill:x"));
  writer.flush();
  EXPECT_EQ(writer.dropped(), 0u);
}

}  // namespace
}  // namespace atalaya::serve
