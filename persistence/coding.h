// Explicit little-endian encoding of fixed-width integers and
// length-prefixed strings, the only encodings the journal and snapshots use.
// The byte order is spelled out with shifts, so files are portable whatever
// the host; compilers turn the shifts into single loads and stores on x86.
//
// put_*: appends to a std::string (may allocate as it grows).
// encode_* / decode_*: fixed buffers, no allocation, no bounds checks.
// Decoder: reads and advances over a byte range, bounds-checked.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace orderd::persistence {

inline void encode_u16(char* out, std::uint16_t v) {
  out[0] = static_cast<char>(v);
  out[1] = static_cast<char>(v >> 8);
}
inline void encode_u32(char* out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>(v >> (8 * i));
}
inline void encode_u64(char* out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(v >> (8 * i));
}

inline std::uint16_t decode_u16(const char* in) {
  const auto* p = reinterpret_cast<const unsigned char*>(in);
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
inline std::uint32_t decode_u32(const char* in) {
  const auto* p = reinterpret_cast<const unsigned char*>(in);
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
inline std::uint64_t decode_u64(const char* in) {
  const auto* p = reinterpret_cast<const unsigned char*>(in);
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

inline void put_u8(std::string* out, std::uint8_t v) { out->push_back(static_cast<char>(v)); }
inline void put_u16(std::string* out, std::uint16_t v) {
  char buf[2];
  encode_u16(buf, v);
  out->append(buf, sizeof buf);
}
inline void put_u32(std::string* out, std::uint32_t v) {
  char buf[4];
  encode_u32(buf, v);
  out->append(buf, sizeof buf);
}
inline void put_u64(std::string* out, std::uint64_t v) {
  char buf[8];
  encode_u64(buf, v);
  out->append(buf, sizeof buf);
}
// Signed values are stored as their two's complement bits.
inline void put_i64(std::string* out, std::int64_t v) {
  put_u64(out, static_cast<std::uint64_t>(v));
}
// A u32 byte count, then the bytes. Callers keep strings far below 4 GiB.
inline void put_string(std::string* out, std::string_view s) {
  put_u32(out, static_cast<std::uint32_t>(s.size()));
  out->append(s.data(), s.size());
}

// Reads fixed-width values from the front of a byte range. Every get_*
// returns false, and leaves the output untouched, once the range is too
// short; the decoder stays failed from then on.
class Decoder {
 public:
  explicit Decoder(std::string_view input) : in_(input) {}

  bool get_u8(std::uint8_t* v) {
    if (!take(1)) return false;
    *v = static_cast<std::uint8_t>(in_[pos_ - 1]);
    return true;
  }
  bool get_u16(std::uint16_t* v) { return get_fixed<decode_u16>(v); }
  bool get_u32(std::uint32_t* v) { return get_fixed<decode_u32>(v); }
  bool get_u64(std::uint64_t* v) { return get_fixed<decode_u64>(v); }
  bool get_i64(std::int64_t* v) {
    std::uint64_t u = 0;
    if (!get_u64(&u)) return false;
    *v = static_cast<std::int64_t>(u);
    return true;
  }
  // A put_string() value; the view points into the input.
  bool get_string(std::string_view* s) {
    std::uint32_t size = 0;
    if (!get_u32(&size)) return false;
    if (!take(size)) return false;
    *s = in_.substr(pos_ - size, size);
    return true;
  }

  bool failed() const { return failed_; }
  std::size_t remaining() const { return in_.size() - pos_; }
  // All input consumed and nothing failed: a well-formed value.
  bool done() const { return !failed_ && pos_ == in_.size(); }

 private:
  // A fixed-width integer: as many bytes as T has, read by `decode`.
  template <auto decode, typename T>
  bool get_fixed(T* v) {
    static_assert(std::is_same_v<decltype(decode(in_.data())), T>);
    if (!take(sizeof(T))) return false;
    *v = decode(in_.data() + pos_ - sizeof(T));
    return true;
  }

  bool take(std::size_t n) {
    if (failed_ || in_.size() - pos_ < n) {
      failed_ = true;
      return false;
    }
    pos_ += n;
    return true;
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace orderd::persistence
