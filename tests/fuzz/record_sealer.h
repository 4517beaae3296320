// Checksums make random bytes useless as a journal or snapshot: almost
// every mutation is caught by a CRC before any decoder sees it. So the
// persistence fuzz targets seal their input first: they rewrite the file
// header's and every record header's checksums to match the bytes (the
// lengths, types and payloads stay as the fuzzer made them), which lets
// mutations reach the decoders and the recovery logic behind the CRCs.
// Inputs whose first byte has bit 0 set are left unsealed, to keep the
// damage-detection paths fuzzed too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace orderd::fuzz {

// The file the fuzzer's bytes stand for: `data` after its first byte,
// sealed unless that byte says not to.
std::string sealed_file(const std::uint8_t* data, std::size_t size);

// Rewrites the checksums of `file` in place, as described above.
void seal_checksums(std::string& file);

}  // namespace orderd::fuzz
