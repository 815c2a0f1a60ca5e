// The account store's contract, on both backends: accounts and grants,
// passwords, personal tokens, sessions, the login throttle (with an
// injected clock, so lockouts and expiries are checked without waiting),
// and the audit lines written with each change, and only with it.
#include "atalaya/access/account_store.h"

#include <gtest/gtest.h>

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "atalaya/access/secrets.h"
#include "atalaya/store/audit/audit_log.h"
#include "atalaya/store/sql/test_database_testing.h"

namespace atalaya::access {
namespace {

using namespace std::chrono_literals;

struct FakeClock {
  std::chrono::system_clock::time_point t = std::chrono::sys_days{std::chrono::year{2030} / 1 / 1};
  Clock fn() {
    return [this] { return t; };
  }
};

const std::string kPassword = "correct horse battery staple";

NewAccount person(const std::string& name, Role role, std::vector<std::string> reporters = {}) {
  NewAccount a;
  a.name = name;
  a.email = name + "@example.org";
  a.grants = {{role, std::move(reporters)}};
  a.password = kPassword;
  return a;
}

class AccountStoreContract : public sql::BackendTest {
 protected:
  void SetUp() override {
    sql::BackendTest::SetUp();
    if (IsSkipped()) return;
    db_ = std::make_unique<sql::TestDatabase>(GetParam());
    store_ = open(clock_);
  }
  // Passwords are hashed at Argon2id's lowest cost but for the test of the
  // hashing itself (which reopens the store at the real cost).
  std::unique_ptr<AccountStore> open(FakeClock& clock, PasswordCost cost = PasswordCost::lowest()) {
    AccountStoreOptions o;
    o.clock = clock.fn();
    o.password_cost = cost;
    return open_account_store(db_->location(), o);
  }
  // The first administrator, made by the local operator of an empty store.
  Principal admin() {
    if (!admin_) {
      store_->add_account(Principal::local_operator("root"), person("ada", Role::Administrator));
      admin_ = store_->check_password("ada", kPassword, "cli").principal;
    }
    return *admin_;
  }
  std::vector<audit::AuditRecord> audit_lines(const std::string& action) {
    audit::AuditFilter f;
    f.action = action;
    return audit::open_audit_log(db_->location())->lines(f);
  }

  FakeClock clock_;
  std::unique_ptr<sql::TestDatabase> db_;
  std::unique_ptr<AccountStore> store_;
  std::optional<Principal> admin_;
};

TEST_P(AccountStoreContract, TheFirstAccountMustBeAnAdministratorMadeByTheLocalOperator) {
  EXPECT_FALSE(store_->has_accounts());
  const Principal op = Principal::local_operator("root");
  try {
    store_->add_account(op, person("pat", Role::Analyst));
    FAIL() << "a store's first account was not an administrator";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::Conflict);
    EXPECT_EQ(e.parameter(), "role");
  }
  EXPECT_FALSE(store_->has_accounts());
  Account ada = store_->add_account(op, person("ada", Role::Administrator));
  EXPECT_TRUE(store_->has_accounts());
  EXPECT_GT(ada.id, 0);
  ASSERT_EQ(ada.grants.size(), 1u);
  EXPECT_EQ(ada.grants[0].role, Role::Administrator);
  auto lines = audit_lines("account.add");
  ASSERT_EQ(lines.size(), 2u);  // newest first: the success, then the refusal
  EXPECT_EQ(lines[0].entry.outcome, "ok");
  EXPECT_EQ(lines[0].entry.object, "account:" + std::to_string(ada.id));
  EXPECT_EQ(lines[0].entry.actor.name, "operator:root");
  EXPECT_EQ(lines[1].entry.outcome, "refused");
}

TEST_P(AccountStoreContract, NamesAndEmailsAreUniqueEmailsRegardlessOfCase) {
  const Principal a = admin();
  store_->add_account(a, person("pat", Role::Analyst));
  NewAccount same_name = person("pat", Role::Analyst);
  same_name.email = "other@example.org";
  EXPECT_THROW(store_->add_account(a, same_name), Error);
  NewAccount same_email = person("pat2", Role::Analyst);
  same_email.email = "PAT@Example.ORG";
  try {
    store_->add_account(a, same_email);
    FAIL() << "an e-mail differing only in case was taken";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::Conflict);
    EXPECT_EQ(e.parameter(), "email");
  }
  EXPECT_EQ(store_->accounts(a).size(), 2u);
  // Sign-in by e-mail, in any case.
  EXPECT_EQ(store_->check_password("Pat@EXAMPLE.org", kPassword, "cli").outcome, LoginOutcome::SignedIn);
}

TEST_P(AccountStoreContract, BadFieldsAreRefusedNamingTheField) {
  const Principal a = admin();
  auto field_of = [&](NewAccount n) -> std::string {
    try {
      store_->add_account(a, n);
    } catch (const Error& e) {
      return e.parameter();
    }
    return "accepted";
  };
  NewAccount n = person("Bad Name", Role::Analyst);
  EXPECT_EQ(field_of(n), "name");
  n = person("pat", Role::Analyst);
  n.email = "pat-at-example";
  EXPECT_EQ(field_of(n), "email");
  n = person("pat", Role::Analyst);
  n.password = "short";
  EXPECT_EQ(field_of(n), "password");
  n.password = "my name is pat, trust me";
  EXPECT_EQ(field_of(n), "password");
  EXPECT_EQ(field_of(person("pat", Role::FocalPoint)), "reporter");            // no reporter
  EXPECT_EQ(field_of(person("pat", Role::FocalPoint, {"XYZ"})), "reporter");   // not a country
  EXPECT_EQ(field_of(person("pat", Role::FocalPoint, {"PA"})), "reporter");    // alpha-2
  EXPECT_EQ(field_of(person("pat", Role::Analyst, {"PAN"})), "reporter");      // not scoped
  Account fp = store_->add_account(a, person("pat", Role::FocalPoint, {"pan", "UNHCR"}));
  EXPECT_EQ(fp.grants[0].reporters, (std::vector<std::string>{"PAN", "UNHCR"}));
}

TEST_P(AccountStoreContract, PasswordsAreArgon2idAndAWeakerHashIsRedoneAtSignIn) {
  store_ = open(clock_, PasswordCost::interactive());
  admin();
  EXPECT_EQ(store_->check_password("ada", "not the password", "cli").outcome, LoginOutcome::WrongCredentials);
  EXPECT_EQ(store_->check_password("nobody", kPassword, "cli").outcome, LoginOutcome::WrongCredentials);
  // A hash made with lower limits (as an older libsodium's defaults would be).
  auto conn = sql::connect(db_->location());
  auto hash = conn->prepare("SELECT password_hash FROM account WHERE name = 'ada'");
  ASSERT_TRUE(hash->step());
  EXPECT_EQ(hash->text(0).rfind("$argon2id$", 0), 0u);
  EXPECT_FALSE(password_needs_rehash(hash->text(0)));
  hash.reset();
  char weak[128];
  ASSERT_EQ(crypto_pwhash_str_alg(weak, kPassword.data(), kPassword.size(), crypto_pwhash_OPSLIMIT_MIN,
                                  crypto_pwhash_MEMLIMIT_MIN, crypto_pwhash_ALG_ARGON2ID13),
            0);
  ASSERT_TRUE(password_needs_rehash(weak));
  conn->begin(sql::Transaction::Write);
  auto set = conn->prepare("UPDATE account SET password_hash = ? WHERE name = 'ada'");
  set->bind(1, std::string(weak));
  set->step();
  set.reset();
  conn->commit();
  EXPECT_EQ(store_->check_password("ada", kPassword, "cli").outcome, LoginOutcome::SignedIn);
  auto again = conn->prepare("SELECT password_hash FROM account WHERE name = 'ada'");
  ASSERT_TRUE(again->step());
  EXPECT_NE(again->text(0), weak);
  EXPECT_FALSE(password_needs_rehash(again->text(0)));
}

TEST_P(AccountStoreContract, AFocalPointsTokenCarriesItsScopeAndNoMoreThanItsOwnerHolds) {
  const Principal a = admin();
  store_->add_account(a, person("pan.fp", Role::FocalPoint, {"PAN"}));
  Principal fp = *store_->check_password("pan.fp", kPassword, "cli").principal;
  try {
    store_->create_token(fp, {"", "too much", {Right::UploadData, Right::ChangeAlerts}, 30 * 24h});
    FAIL() << "a token carried a right its owner does not hold";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::Forbidden);
    EXPECT_EQ(e.parameter(), "rights");
  }
  EXPECT_THROW(store_->create_token(fp, {"", "too long", {Right::UploadData}, 400 * 24h}), Error);
  CreatedToken t = store_->create_token(fp, {"", "monthly upload", {Right::UploadData}, 30 * 24h});
  EXPECT_EQ(t.secret.rfind("atl_", 0), 0u);
  EXPECT_EQ(t.secret.size(), 47u);
  auto p = store_->token(t.secret, "10.0.0.1");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->actor.name, "pan.fp");
  EXPECT_EQ(p->actor.credential, "token:" + std::to_string(t.info.id));
  EXPECT_TRUE(decide(*p, Right::UploadData, "PAN").allowed);
  Decision mex = decide(*p, Right::UploadData, "MEX");
  EXPECT_FALSE(mex.allowed);
  EXPECT_EQ(mex.missing, "upload_data:MEX");
  EXPECT_FALSE(decide(*p, Right::ReadRestricted).allowed);
  // The secret is nowhere in the store; its hash is.
  auto conn = sql::connect(db_->location());
  auto q = conn->prepare("SELECT secret_hash FROM personal_token");
  ASSERT_TRUE(q->step());
  EXPECT_EQ(q->text(0), sha256_hex(t.secret));
  for (auto& line : audit_lines("token.")) EXPECT_EQ(line.entry.detail.find(t.secret), std::string::npos);
  // A token of the focal point cannot make a wider one, nor one for someone else.
  EXPECT_THROW(store_->create_token(*p, {"ada", "x", {Right::UploadData}, 24h}), Refused);
}

TEST_P(AccountStoreContract, ATokenIsRefusedOnceRevokedOrExpiredAndAnotherProcessSeesRevocationWithinASecond) {
  const Principal a = admin();
  CreatedToken t = store_->create_token(a, {"", "script", {Right::ReadRestricted}, 24h});
  ASSERT_TRUE(store_->token(t.secret, "cli"));
  EXPECT_FALSE(store_->token(t.secret.substr(0, 46) + (t.secret.back() == 'A' ? "B" : "A"), "cli"));
  EXPECT_FALSE(store_->token("atl_short", "cli"));

  // Another process (the CLI) revokes it; this one's cache holds it for under a second.
  FakeClock other_clock = clock_;
  auto other = open(other_clock);
  other->revoke_token(a, t.info.id);
  clock_.t += 500ms;
  EXPECT_TRUE(store_->token(t.secret, "cli")) << "the cache should answer within its second";
  clock_.t += 600ms;
  EXPECT_FALSE(store_->token(t.secret, "cli"));
  EXPECT_THROW(other->revoke_token(a, t.info.id), Error);  // already revoked

  // Revoked through this store: refused at once.
  CreatedToken u = store_->create_token(a, {"", "script 2", {Right::ReadRestricted}, 24h});
  ASSERT_TRUE(store_->token(u.secret, "cli"));
  store_->revoke_token(a, u.info.id);
  EXPECT_FALSE(store_->token(u.secret, "cli"));

  // Expiry.
  CreatedToken v = store_->create_token(a, {"", "short-lived", {Right::ReadRestricted}, 24h});
  clock_.t += 24h - 1s;
  EXPECT_TRUE(store_->token(v.secret, "cli"));
  clock_.t += 2s;
  EXPECT_FALSE(store_->token(v.secret, "cli"));

  auto listed = store_->tokens(a, "");
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_FALSE(listed[0].revoked_at.empty());
  EXPECT_FALSE(listed[0].last_used_at.empty());
  EXPECT_EQ(audit_lines("token.revoke").size(), 3u);  // two revocations and the refused second one
}

TEST_P(AccountStoreContract, ADisabledOwnersTokensAndSessionsStopWorking) {
  const Principal a = admin();
  store_->add_account(a, person("pat", Role::Analyst));
  Principal pat = *store_->check_password("pat", kPassword, "cli").principal;
  CreatedToken t = store_->create_token(pat, {"", "script", {Right::ReadRestricted}, 24h});
  LoginResult s = store_->login("pat", kPassword, "10.0.0.9");
  ASSERT_EQ(s.outcome, LoginOutcome::SignedIn);
  store_->set_disabled(a, "pat", true);
  EXPECT_FALSE(store_->token(t.secret, "cli"));
  EXPECT_FALSE(store_->session(s.session->id, "10.0.0.9", nullptr));
  EXPECT_EQ(store_->login("pat", kPassword, "10.0.0.9").outcome, LoginOutcome::Disabled);
  EXPECT_EQ(store_->login("pat", "wrong password!", "10.0.0.9").outcome, LoginOutcome::WrongCredentials);
  store_->set_disabled(a, "pat", false);
  EXPECT_TRUE(store_->token(t.secret, "cli"));
  // The last administrator cannot be disabled, nor lose the role.
  EXPECT_THROW(store_->set_disabled(a, "ada", true), Error);
  EXPECT_THROW(store_->revoke_role(a, "ada", Role::Administrator), Error);
  // Nor may an analyst disable anyone: denied, and recorded.
  EXPECT_THROW(store_->set_disabled(pat, "ada", true), Refused);
  auto denied = audit_lines("account.disable");
  ASSERT_FALSE(denied.empty());
  EXPECT_EQ(denied[0].entry.outcome, "denied");
  EXPECT_NE(denied[0].entry.detail.find("manage_accounts"), std::string::npos);
}

TEST_P(AccountStoreContract, SessionsEndWhenIdleAtTheirLifetimeAndAtLogout) {
  admin();
  LoginResult r = store_->login("ada", kPassword, "10.0.0.1");
  ASSERT_EQ(r.outcome, LoginOutcome::SignedIn);
  ASSERT_TRUE(r.session);
  std::string csrf;
  auto p = store_->session(r.session->id, "10.0.0.1", &csrf);
  ASSERT_TRUE(p);
  EXPECT_EQ(csrf, r.session->csrf);
  EXPECT_EQ(p->actor.credential, "session");
  EXPECT_FALSE(store_->session("not a session", "10.0.0.1", nullptr));
  // Used every 50 minutes, it lives 12 hours, not more.
  for (int i = 0; i < 15; ++i) {
    clock_.t += 50min;
    const bool alive = store_->session(r.session->id, "10.0.0.1", nullptr).has_value();
    EXPECT_EQ(alive, (i + 1) * 50min < 12h) << "after " << (i + 1) * 50 << " minutes";
  }
  // Idle for an hour: gone.
  LoginResult idle = store_->login("ada", kPassword, "10.0.0.1");
  clock_.t += 59min;
  EXPECT_TRUE(store_->session(idle.session->id, "10.0.0.1", nullptr));
  clock_.t += 61min;
  EXPECT_FALSE(store_->session(idle.session->id, "10.0.0.1", nullptr));
  // Logout.
  LoginResult out = store_->login("ada", kPassword, "10.0.0.1");
  store_->logout(out.session->id);
  EXPECT_FALSE(store_->session(out.session->id, "10.0.0.1", nullptr));
  EXPECT_EQ(audit_lines("session.logout").size(), 1u);
  // The stored id is a hash.
  auto conn = sql::connect(db_->location());
  auto q = conn->prepare("SELECT count(*) FROM account_session WHERE id_hash = ?");
  q->bind(1, out.session->id);
  q->step();
  EXPECT_EQ(q->i64(0), 0);
}

TEST_P(AccountStoreContract, FiveFailuresLockTheAccountForFifteenMinutesThenLongerAndUnknownLoginsAlike) {
  admin();
  auto fail = [&](const std::string& login, const std::string& origin) {
    return store_->login(login, "wrong password!", origin).outcome;
  };
  for (int i = 0; i < 4; ++i) EXPECT_EQ(fail("ada", "10.0.0." + std::to_string(i)), LoginOutcome::WrongCredentials);
  EXPECT_EQ(fail("ada", "10.0.0.9"), LoginOutcome::LockedOut);
  LoginResult locked = store_->login("ada", kPassword, "10.0.0.10");
  EXPECT_EQ(locked.outcome, LoginOutcome::LockedOut) << "the right password while locked";
  EXPECT_EQ(locked.retry_after, 15min);
  clock_.t += 14min;
  EXPECT_EQ(store_->login("ada", kPassword, "10.0.0.10").outcome, LoginOutcome::LockedOut);
  clock_.t += 61s;
  // Free again; five more failures lock it for twice as long.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(fail("ada", "10.0.1.1"), LoginOutcome::WrongCredentials);
  EXPECT_EQ(fail("ada", "10.0.1.1"), LoginOutcome::LockedOut);
  EXPECT_EQ(store_->login("ada", kPassword, "10.0.1.2").retry_after, 30min);
  clock_.t += 31min;
  EXPECT_EQ(store_->login("ada", kPassword, "10.0.1.2").outcome, LoginOutcome::SignedIn);

  // An unknown login answers exactly as a known one.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(fail("ghost", "10.0.2." + std::to_string(i)), LoginOutcome::WrongCredentials);
  EXPECT_EQ(fail("ghost", "10.0.2.9"), LoginOutcome::LockedOut);

  auto lockouts = audit_lines("account.lockout");
  EXPECT_EQ(lockouts.size(), 3u);
  auto logins = audit_lines("session.login");
  for (auto& l : logins) {
    EXPECT_EQ(l.entry.detail.find("wrong password"), std::string::npos);
    EXPECT_EQ(l.entry.detail.find("ghost"), std::string::npos);
  }
}

TEST_P(AccountStoreContract, TwentyFailuresFromOneOriginLockThatOrigin) {
  admin();
  const Principal a = *admin_;
  for (int i = 0; i < 5; ++i) store_->add_account(a, person("p" + std::to_string(i), Role::Analyst));
  int n = 0;
  LoginOutcome last{};
  for (int i = 0; i < 5 && n < 20; ++i)
    for (int j = 0; j < 4 && n < 20; ++j, ++n) last = store_->login("p" + std::to_string(i), "wrong password!", "203.0.113.5").outcome;
  EXPECT_EQ(last, LoginOutcome::LockedOut);
  EXPECT_EQ(store_->login("ada", kPassword, "203.0.113.5").outcome, LoginOutcome::LockedOut);
  EXPECT_EQ(store_->login("ada", kPassword, "198.51.100.7").outcome, LoginOutcome::SignedIn);
}

TEST_P(AccountStoreContract, GrantsWidenAndNarrowAFocalPointsScope) {
  const Principal a = admin();
  store_->add_account(a, person("pan.fp", Role::FocalPoint, {"PAN"}));
  Account fp = store_->grant(a, "pan.fp", {Role::FocalPoint, {"CRI"}});
  ASSERT_EQ(fp.grants.size(), 1u);
  EXPECT_EQ(fp.grants[0].reporters, (std::vector<std::string>{"CRI", "PAN"}));
  EXPECT_THROW(store_->grant(a, "pan.fp", {Role::FocalPoint, {"PAN"}}), Error);
  fp = store_->grant(a, "pan.fp", {Role::Analyst, {}});
  EXPECT_EQ(fp.grants.size(), 2u);
  fp = store_->revoke_role(a, "pan.fp", Role::FocalPoint);
  ASSERT_EQ(fp.grants.size(), 1u);
  EXPECT_EQ(fp.grants[0].role, Role::Analyst);
  EXPECT_EQ(audit_lines("account.grant").size(), 3u);  // two grants and the refused one
}

TEST_P(AccountStoreContract, AuditLinesAreWrittenWithTheChangeAndNotWithoutIt) {
  const Principal a = admin();
  // A change that fails inside its transaction leaves no "ok" line.
  NewAccount dup = person("ada", Role::Analyst);
  dup.email = "someone@example.org";
  EXPECT_THROW(store_->add_account(a, dup), Error);
  auto adds = audit_lines("account.add");
  int ok = 0;
  for (auto& l : adds) ok += l.entry.outcome == "ok";
  EXPECT_EQ(ok, 1);  // ada alone
  auto conn = sql::connect(db_->location());
  auto q = conn->prepare("SELECT count(*) FROM account");
  q->step();
  EXPECT_EQ(q->i64(0), 1);
  // A password change is recorded without the password.
  store_->set_password(a, "ada", "another long passphrase");
  auto pw = audit_lines("account.password");
  ASSERT_EQ(pw.size(), 1u);
  EXPECT_EQ(pw[0].entry.detail.find("passphrase"), std::string::npos);
  EXPECT_EQ(store_->check_password("ada", "another long passphrase", "cli").outcome, LoginOutcome::SignedIn);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountStoreContract, ::testing::ValuesIn(sql::test_backends()), sql::backend_name);

}  // namespace
}  // namespace atalaya::access
