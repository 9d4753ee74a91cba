import { describe, it, expect } from "vitest";
import { pseudonymizer, maskPII, kAnonymityCheck, resolveSalt } from "../src/privacy";
import { Table } from "../src/table";

describe("privacy", () => {
  it("pseudonymises deterministically per salt, never echoing the id", () => {
    const a = pseudonymizer("salt-1"), b = pseudonymizer("salt-2");
    expect(a("17850")).toBe(a("17850"));
    expect(a("17850")).not.toBe(b("17850"));
    expect(a("17850")).toMatch(/^c_[0-9a-f]{16}$/);
    expect(a("17850")).not.toContain("17850");
    expect(a("")).toBe("");
  });
  it("takes the salt from the option, then CUSTLAB_SALT, else random", () => {
    expect(resolveSalt({ salt: "x" })).toEqual({ salt: "x", source: "option" });
    process.env.CUSTLAB_SALT = "env-salt";
    expect(resolveSalt().source).toBe("env");
    delete process.env.CUSTLAB_SALT;
    expect(resolveSalt().source).toBe("random");
  });
  it("masks e-mails and phone numbers but not sizes or prices", () => {
    expect(maskPII("call 0161 496 0000 or mail a.b@x.org")).toBe("call [phone] or mail [email]");
    expect(maskPII("+44 (0)20 7946 0958 after 6pm")).toBe("[phone] after 6pm");
    expect(maskPII("size 12, paid 49.99 in 2023")).toBe("size 12, paid 49.99 in 2023");
  });
  it("flags segment × attribute cells below k", () => {
    const t = new Table({ seg: ["A", "A", "A", "B", "B", "B"], country: ["UK", "UK", "UK", "UK", "UK", "FR"] });
    expect(kAnonymityCheck(t, { segment: "seg", attributes: ["country"], k: 2 })).toEqual([{ segment: "B", attribute: "country", value: "FR", count: 1 }]);
  });
});
