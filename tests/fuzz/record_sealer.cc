#include "tests/fuzz/record_sealer.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "persistence/coding.h"
#include "persistence/crc32c.h"
#include "persistence/journal_format.h"

namespace orderd::fuzz {

namespace format = persistence::format;

void seal_checksums(std::string& file) {
  if (file.size() < format::kFileHeaderSize) return;
  // The file header's checksum covers bytes 0..27, whatever their meaning.
  persistence::encode_u32(file.data() + 28,
                          persistence::crc32c::mask(persistence::crc32c::value(file.data(), 28)));
  std::size_t at = format::kFileHeaderSize;
  while (at + format::kRecordHeaderSize <= file.size()) {
    format::RecordHeader header;
    header.length = persistence::decode_u32(file.data() + at + 8);
    header.type = static_cast<std::uint8_t>(file[at + 12]);
    header.seq = persistence::decode_u64(file.data() + at + 16);
    const std::size_t payload_at = at + format::kRecordHeaderSize;
    const std::size_t present = std::min<std::size_t>(header.length, file.size() - payload_at);
    header.payload_crc =
        format::payload_checksum(std::string_view(file.data() + payload_at, present));
    encode_record_header(header, file.data() + at);
    at = payload_at + header.length;
  }
}

std::string sealed_file(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return {};
  std::string file(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 1) == 0) seal_checksums(file);
  return file;
}

}  // namespace orderd::fuzz
