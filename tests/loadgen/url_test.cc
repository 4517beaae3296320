#include "loadgen/url.h"

#include <gtest/gtest.h>

namespace orderd::loadgen {
namespace {

TEST(UrlTest, HostPortAndPrefix) {
  const auto url = parse_server_url("http://127.0.0.1:8080/api/");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, "8080");
  EXPECT_EQ(url->path_prefix, "/api");
  EXPECT_EQ(url->host_header(), "127.0.0.1:8080");
  EXPECT_EQ(url->text(), "http://127.0.0.1:8080/api");
}

TEST(UrlTest, PortDefaultsToEightyAndPrefixToNothing) {
  const auto url = parse_server_url("http://localhost");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "localhost");
  EXPECT_EQ(url->port, "80");
  EXPECT_EQ(url->path_prefix, "");
  EXPECT_EQ(parse_server_url("http://localhost/")->path_prefix, "");
}

TEST(UrlTest, Ipv6InBrackets) {
  const auto url = parse_server_url("http://[::1]:9000");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, "9000");
  EXPECT_EQ(url->host_header(), "[::1]:9000");
}

TEST(UrlTest, RefusesWhatItCannotSpeak) {
  std::string error;
  EXPECT_FALSE(parse_server_url("https://127.0.0.1", &error));
  EXPECT_NE(error.find("https"), std::string::npos);
  EXPECT_FALSE(parse_server_url("127.0.0.1:8080", &error));
  EXPECT_FALSE(parse_server_url("http://:8080", &error));
  EXPECT_FALSE(parse_server_url("http://host:0", &error));
  EXPECT_FALSE(parse_server_url("http://host:65536", &error));
  EXPECT_FALSE(parse_server_url("http://host:80x", &error));
  EXPECT_FALSE(parse_server_url("http://user@host", &error));
  EXPECT_FALSE(parse_server_url("http://host/a?b=c", &error));
  EXPECT_FALSE(parse_server_url("http://[::1", &error));
}

}  // namespace
}  // namespace orderd::loadgen
