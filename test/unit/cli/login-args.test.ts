import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { LoginUsageError, normalisePhone, parseLoginArgs } from "../../../src/cli/login-args.js";

const HASH = "0123456789abcdef0123456789ABCDEF";

const DEFAULTS = {
  help: false,
  apiId: null,
  apiHash: null,
  phone: null,
  code: null,
  password: null,
  dcAddress: null,
  publicKey: null,
  qr: false,
  connectTimeoutMs: 10_000,
  connectAttempts: 3,
  callTimeoutMs: 15_000,
} as const;

describe("parseLoginArgs", () => {
  it("reads every flag, in both --flag value and --flag=value forms", () => {
    assert.deepEqual(
      parseLoginArgs(
        [
          "--api-id",
          "12345",
          `--api-hash=${HASH}`,
          "--phone",
          "+1 (555) 123-4567",
          "--code=12345",
          "--password",
          "pw",
        ],
        {},
      ),
      { ...DEFAULTS, apiId: 12345, apiHash: HASH, phone: "+15551234567", code: "12345", password: "pw" },
    );
  });

  it("falls back to environment variables; flags win", () => {
    const env = {
      TELEGRAM_API_ID: "7",
      TELEGRAM_API_HASH: HASH,
      TELEGRAM_PHONE: "+4915112345678",
      TELEGRAM_PASSWORD: "from-env",
    };
    assert.deepEqual(parseLoginArgs(["--api-id", "8"], env), {
      ...DEFAULTS,
      apiId: 8,
      apiHash: HASH,
      phone: "+4915112345678",
      password: "from-env",
    });
    assert.deepEqual(parseLoginArgs([], { TELEGRAM_API_ID: " " }), DEFAULTS);
  });

  it("reads the server settings: --dc-address, --public-key (PEM text may start with dashes), --qr", () => {
    const pem = "-----BEGIN RSA PUBLIC KEY-----\nMIIB\n-----END RSA PUBLIC KEY-----";
    assert.deepEqual(parseLoginArgs(["--qr", "--dc-address", "127.0.0.1:40123", "--public-key", pem], {}), {
      ...DEFAULTS,
      dcAddress: { host: "127.0.0.1", port: 40123 },
      publicKey: pem,
      qr: true,
    });
    assert.deepEqual(
      parseLoginArgs([], {
        TELEGRAM_DC_ADDRESS: "[2001:b28:f23d:f001::e]:443",
        TELEGRAM_PUBLIC_KEY: pem,
        TELEGRAM_CONNECT_TIMEOUT_MS: "2500",
        TELEGRAM_CONNECT_ATTEMPTS: "5",
        TELEGRAM_CALL_TIMEOUT_MS: "4000",
      }),
      {
        ...DEFAULTS,
        dcAddress: { host: "2001:b28:f23d:f001::e", port: 443 },
        publicKey: pem,
        connectTimeoutMs: 2500,
        connectAttempts: 5,
        callTimeoutMs: 4000,
      },
    );
  });

  it("answers help", () => {
    assert.deepEqual(parseLoginArgs(["--phone", "+15551234567", "-h"], {}), { help: true });
  });

  it("rejects unknown options, missing values and malformed values with a usage error", () => {
    const bad: [string[], RegExp][] = [
      [["--session", "x"], /Unknown option --session/],
      [["--phone"], /needs a value/],
      [["--phone", "--code", "12345"], /needs a value/],
      [["--api-id", "abc"], /positive integer/],
      [["--api-id=0"], /positive integer/],
      [["--api-hash", "xyz"], /32 hexadecimal/],
      [["--phone", "call me"], /international format/],
      [["--code", "12"], /5 to 8 digits/],
      [["--dc-address", "127.0.0.1"], /host:port/],
      [["--qr=yes"], /Unknown option --qr/],
    ];
    for (const [argv, message] of bad) {
      assert.throws(
        () => parseLoginArgs(argv, {}),
        (error: unknown) => error instanceof LoginUsageError && message.test(error.message),
      );
    }
  });

  it("rejects connection settings out of range, naming the variable and the range", () => {
    const bad: [Record<string, string>, RegExp][] = [
      [
        { TELEGRAM_CONNECT_TIMEOUT_MS: "99" },
        /TELEGRAM_CONNECT_TIMEOUT_MS must be an integer between 100 and 2147483647 \(milliseconds\)/,
      ],
      [{ TELEGRAM_CONNECT_TIMEOUT_MS: "3000000000" }, /TELEGRAM_CONNECT_TIMEOUT_MS must be an integer/],
      [{ TELEGRAM_CONNECT_TIMEOUT_MS: "soon" }, /TELEGRAM_CONNECT_TIMEOUT_MS must be an integer/],
      [{ TELEGRAM_CONNECT_ATTEMPTS: "0" }, /TELEGRAM_CONNECT_ATTEMPTS must be an integer between 1 and 10\./],
      [
        { TELEGRAM_CONNECT_ATTEMPTS: "11" },
        /TELEGRAM_CONNECT_ATTEMPTS must be an integer between 1 and 10\./,
      ],
      [{ TELEGRAM_CONNECT_ATTEMPTS: "2.5" }, /TELEGRAM_CONNECT_ATTEMPTS must be an integer/],
      // What the gateway's own settings refuse, the login refuses too.
      [{ TELEGRAM_CONNECT_ATTEMPTS: "1e1" }, /TELEGRAM_CONNECT_ATTEMPTS must be an integer/],
      [{ TELEGRAM_CONNECT_ATTEMPTS: "0x3" }, /TELEGRAM_CONNECT_ATTEMPTS must be an integer/],
      [{ TELEGRAM_CALL_TIMEOUT_MS: "50" }, /TELEGRAM_CALL_TIMEOUT_MS must be an integer between 100 and/],
    ];
    for (const [env, message] of bad) {
      assert.throws(
        () => parseLoginArgs([], env),
        (error: unknown) => error instanceof LoginUsageError && message.test(error.message),
      );
    }
  });
});

describe("normalisePhone", () => {
  it("strips formatting and refuses non-numbers", () => {
    assert.equal(normalisePhone("+44 20 7946-0958"), "+442079460958");
    assert.equal(normalisePhone("15551234567"), "15551234567");
    assert.equal(normalisePhone("+1"), null);
    assert.equal(normalisePhone("+1234567890123456"), null);
  });
});
