// orderload: drives orderd's HTTP API and reports what it saw. See
// docs/orderload.md, or run with --help.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <iostream>

#include "loadgen/command_line.h"
#include "loadgen/load_runner.h"
#include "loadgen/report.h"
#include "loadgen/result_json.h"

namespace {

using namespace orderd::loadgen;

std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

extern "C" void on_stop_signal(int signal_number) {
  stop_requested.store(true);
  std::signal(signal_number, SIG_DFL);  // a second signal ends the process at once
}

// Opened before the run so that a bad path fails in a second, not after it.
bool open_output(const std::string& path, std::ofstream& file) {
  if (path.empty()) return true;
  file.open(path, std::ios::out | std::ios::trunc);
  if (!file) std::cerr << "orderload: cannot write " << path << "\n";
  return static_cast<bool>(file);
}

}  // namespace

int main(int argc, char** argv) {
  const CommandLine command_line = parse_command_line(argc, argv, std::cout, std::cerr);
  if (command_line.exit_code) return *command_line.exit_code;
  const RunOptions& options = command_line.options;

  std::ofstream json_file;
  std::ofstream csv_file;
  if (!open_output(options.json_path, json_file) || !open_output(options.csv_path, csv_file)) {
    return kExitUsage;
  }
  if (csv_file.is_open()) csv_file << csv_header() << std::flush;

  std::signal(SIGPIPE, SIG_IGN);  // a peer closing mid-write is an error to count, not a death
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);

  const bool show_progress = options.progress && isatty(STDOUT_FILENO) == 1;
  const double planned_seconds =
      options.requests ? 0 : std::chrono::duration<double>(options.duration).count();
  RequestStats so_far;
  RunObserver observer;
  if (show_progress) {
    observer.on_phase = [](std::string_view phase) {
      std::cout << "\r\x1b[K" << phase << "..." << std::flush;
    };
  }
  observer.on_interval = [&](const IntervalSample& sample) {
    so_far.merge(sample.stats);
    if (csv_file.is_open()) csv_file << csv_row(sample) << std::flush;
    if (show_progress) {
      Progress progress{sample.elapsed_seconds, planned_seconds, options.requests.value_or(0),
                        &so_far, &sample};
      std::cout << "\r\x1b[K" << progress_line(progress) << std::flush;
    }
  };

  RunResult result;
  try {
    result = run_load(options, &stop_requested, observer);
  } catch (const RunFailed& e) {
    if (show_progress) std::cout << "\r\x1b[K" << std::flush;
    std::cerr << "orderload: " << e.what() << "\n";
    return 1;
  }
  if (show_progress) std::cout << "\r\x1b[K";
  print_summary(std::cout, result);
  if (json_file.is_open()) {
    json_file << result_to_json(result);
    json_file.close();
    if (!json_file) {
      std::cerr << "orderload: writing " << options.json_path << " failed\n";
      return 1;
    }
  }
  return 0;
}
