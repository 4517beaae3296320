// Tells the service manager how start-up and shutdown are going, through
// systemd's notification protocol (sd_notify): the unit is Type=notify, so
// systemd counts orderd as started only once it says READY=1, which it does
// after recovery, when requests are served. Without NOTIFY_SOCKET in the
// environment (not started by systemd) every call does nothing.
#pragma once

#include <string>

namespace orderd::app {

class ServiceNotifier {
 public:
  // What `systemctl status` shows while orderd works towards the next state.
  void status(const std::string& text) const;
  // Recovery is done and requests are served.
  void ready(const std::string& text) const;
  // Shutdown has begun; systemd waits for the process to exit.
  void stopping() const;

 private:
  void send(const std::string& message) const;
};

}  // namespace orderd::app
