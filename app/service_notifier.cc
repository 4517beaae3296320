#include "app/service_notifier.h"

#include <systemd/sd-daemon.h>

#include <cstring>

#include "logging/log.h"

namespace orderd::app {

void ServiceNotifier::status(const std::string& text) const { send("STATUS=" + text); }

void ServiceNotifier::ready(const std::string& text) const { send("READY=1\nSTATUS=" + text); }

void ServiceNotifier::stopping() const { send("STOPPING=1\nSTATUS=stopping"); }

void ServiceNotifier::send(const std::string& message) const {
  // unset_environment = 0: a later message goes to the same socket.
  const int sent = sd_notify(0, message.c_str());
  // 0: no NOTIFY_SOCKET, nobody listens. A failure is logged, not fatal:
  // systemd will time the start out and say why; orderd itself is fine.
  if (sent < 0) {
    logging::warn("cannot notify the service manager", {{"error", std::strerror(-sent)}});
  }
}

}  // namespace orderd::app
