#include "persistence/status.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace orderd::persistence {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.to_string(), "OK");
}

TEST(StatusTest, IoErrorKeepsErrnoAndItsText) {
  Status s = Status::io_error("write journal-1.log", ENOSPC);
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.is_io_error());
  EXPECT_EQ(s.error_number(), ENOSPC);
  EXPECT_EQ(s.to_string(), "IO error: write journal-1.log: No space left on device");
}

TEST(StatusTest, KindsAreTellable) {
  EXPECT_TRUE(Status::corruption("x").is_corruption());
  EXPECT_TRUE(Status::not_found("x").is_not_found());
  EXPECT_EQ(Status::closed("bye").to_string(), "closed: bye");
  EXPECT_EQ(Status::invalid_argument("no").code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace orderd::persistence
