#include "app/service_notifier.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace orderd::app {
namespace {

// A datagram socket standing in for systemd's, named by NOTIFY_SOCKET while
// the test runs.
class FakeServiceManager {
 public:
  FakeServiceManager() {
    path_ = std::filesystem::temp_directory_path() /
            ("orderd-notify-" + std::to_string(getpid()) + ".sock");
    std::filesystem::remove(path_);
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path_.string().copy(address.sun_path, sizeof(address.sun_path) - 1);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    setenv("NOTIFY_SOCKET", path_.c_str(), 1);
  }
  ~FakeServiceManager() {
    unsetenv("NOTIFY_SOCKET");
    close(fd_);
    std::filesystem::remove(path_);
  }
  FakeServiceManager(const FakeServiceManager&) = delete;
  FakeServiceManager& operator=(const FakeServiceManager&) = delete;

  // The next message, or "" when none is waiting.
  std::string next_message() const {
    char buffer[4096];
    const ssize_t n = recv(fd_, buffer, sizeof(buffer), MSG_DONTWAIT);
    return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : std::string();
  }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

TEST(ServiceNotifier, ReadySendsReadyWithTheStatus) {
  FakeServiceManager manager;
  ServiceNotifier().ready("serving on http://127.0.0.1:5000");
  EXPECT_EQ(manager.next_message(), "READY=1\nSTATUS=serving on http://127.0.0.1:5000");
}

TEST(ServiceNotifier, StatusSendsOnlyTheStatus) {
  FakeServiceManager manager;
  ServiceNotifier().status("recovering the data directory /var/lib/orderd");
  EXPECT_EQ(manager.next_message(), "STATUS=recovering the data directory /var/lib/orderd");
}

TEST(ServiceNotifier, StoppingSendsStopping) {
  FakeServiceManager manager;
  ServiceNotifier().stopping();
  EXPECT_EQ(manager.next_message(), "STOPPING=1\nSTATUS=stopping");
}

TEST(ServiceNotifier, EveryMessageReachesTheSameSocket) {
  FakeServiceManager manager;
  const ServiceNotifier notifier;
  notifier.status("recovering");
  notifier.ready("serving");
  EXPECT_EQ(manager.next_message(), "STATUS=recovering");
  EXPECT_EQ(manager.next_message(), "READY=1\nSTATUS=serving");
}

TEST(ServiceNotifier, SendsNothingWithoutNotifySocket) {
  FakeServiceManager manager;
  unsetenv("NOTIFY_SOCKET");  // started by hand, not by systemd
  const ServiceNotifier notifier;
  notifier.status("recovering");
  notifier.ready("serving");
  notifier.stopping();
  EXPECT_EQ(manager.next_message(), "");
}

}  // namespace
}  // namespace orderd::app
