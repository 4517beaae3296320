#include "persistence/reporter.h"

#include <gtest/gtest.h>

namespace orderd::persistence {
namespace {

TEST(ReporterTest, SeveritiesHaveNames) {
  EXPECT_EQ(severity_name(Severity::kInfo), "info");
  EXPECT_EQ(severity_name(Severity::kWarning), "warning");
  EXPECT_EQ(severity_name(Severity::kError), "error");
}

TEST(ReporterTest, StderrReporterWritesOneLinePerMessage) {
  ::testing::internal::CaptureStderr();
  stderr_reporter()(Severity::kWarning, "cut a torn tail");
  EXPECT_EQ(::testing::internal::GetCapturedStderr(),
            "orderd persistence warning: cut a torn tail\n");
}

}  // namespace
}  // namespace orderd::persistence
