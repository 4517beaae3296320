// CRC-32C (Castagnoli), the checksum of every journal and snapshot record.
// Uses the SSE4.2 crc32 instruction when the CPU has it (checked once at run
// time) and a table otherwise; both give identical results.
//
// Thread safety: every function may be called from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace orderd::persistence::crc32c {

// The CRC of `data` appended to bytes whose CRC was `crc`
// (extend(value(a), b) == value(a + b)).
std::uint32_t extend(std::uint32_t crc, const void* data, std::size_t size);

inline std::uint32_t value(const void* data, std::size_t size) { return extend(0, data, size); }
inline std::uint32_t value(std::string_view data) { return extend(0, data.data(), data.size()); }

// The table implementation, always; for tests that compare the two paths.
std::uint32_t extend_portable(std::uint32_t crc, const void* data, std::size_t size);

// Whether extend() uses the crc32 instruction on this machine.
bool hardware_accelerated();

// A CRC stored next to the data it covers is masked, so that computing the
// CRC of bytes that themselves contain CRCs (a record inside a record) does
// not degenerate (the reason LevelDB gives for its crc32c::Mask).
inline constexpr std::uint32_t kMaskDelta = 0xA282EAD8u;

inline std::uint32_t mask(std::uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }

inline std::uint32_t unmask(std::uint32_t masked) {
  std::uint32_t rot = masked - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

}  // namespace orderd::persistence::crc32c
