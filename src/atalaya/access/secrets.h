// The secrets of access/, through libsodium: Argon2id password hashes,
// random tokens, SHA-256 of high-entropy secrets, constant-time equality.
#pragma once

#include <string>
#include <string_view>

namespace atalaya::access {

// Argon2id's limits: libsodium's interactive ones (about 0.1 s and 64 MiB
// a hash) for people's passwords; tests of everything but the hashing
// itself use the lowest, so that a suite of sign-ins does not take minutes.
struct PasswordCost {
  unsigned long long ops;
  size_t memory;
  static PasswordCost interactive();
  static PasswordCost lowest();
};

// Argon2id, in libsodium's string form ("$argon2id$v=19$m=...").
std::string hash_password(std::string_view password, PasswordCost cost = PasswordCost::interactive());
bool verify_password(const std::string& hash, std::string_view password);
// Whether `hash` was made with other limits than `cost`.
bool password_needs_rehash(const std::string& hash, PasswordCost cost = PasswordCost::interactive());

// `bytes` random bytes, base64url without padding.
std::string random_token(size_t bytes = 32);
// SHA-256, lower-case hex.
std::string sha256_hex(std::string_view data);
// Equality that takes the same time wherever the strings differ.
bool equal_in_constant_time(std::string_view a, std::string_view b);

}  // namespace atalaya::access
