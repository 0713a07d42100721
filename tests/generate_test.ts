import assert from "node:assert/strict";
import { DatabaseSync, type SQLOutputValue } from "node:sqlite";
import { join } from "node:path";
import { createAppTables } from "../src/generate/app_schema.ts";
import {
  BAD_ROW_KINDS,
  type BadRowKind,
  generateContacts,
  type GenerateSummary,
} from "../src/generate/generate_contacts.ts";
import { SeededRandom, WeightedChoice } from "../src/generate/random.ts";
import { parseIsoDay } from "../src/rules/days.ts";
import { parseStateCode } from "../src/rules/states.ts";
import { stateForZip } from "../src/rules/zip_codes.ts";

const TODAY = Temporal.PlainDate.from("2026-03-01");
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Row = Record<string, SQLOutputValue>;

interface Agency {
  db: DatabaseSync;
  summary: GenerateSummary;
  contacts: Row[];
  events: Row[];
}

/** Generates an agency into a new temporary file, runs `check` on it, then deletes the file. */
async function withAgency(
  options: { contacts: number; seed?: number; today?: Temporal.PlainDate },
  check: (agency: Agency) => void,
): Promise<void> {
  const { contacts, seed, today = TODAY } = options;
  const folder = await Deno.makeTempDir({ prefix: "generate_test_" });
  const db = new DatabaseSync(join(folder, "org.sqlite3"));
  try {
    const summary = generateContacts(db, { contacts, seed, today });
    check({
      db,
      summary,
      contacts: db.prepare("SELECT * FROM contacts ORDER BY id").all(),
      events: db.prepare("SELECT * FROM contact_events ORDER BY id").all(),
    });
  } finally {
    db.close();
    await Deno.remove(folder, { recursive: true });
  }
}

/** Asserts `minimum <= value <= maximum`, one bound per assert. */
function assertBetween(value: number, minimum: number, maximum: number, label: string): void {
  assert.ok(value >= minimum, `${label}: ${value} is below ${minimum}`);
  assert.ok(value <= maximum, `${label}: ${value} is above ${maximum}`);
}

function isBlank(value: SQLOutputValue): boolean {
  return value === null || value === "";
}

/** Counts the bad kinds of the rows from their contents, without the generator's own record. */
function countBadRows(contacts: Row[]): Record<BadRowKind, number> {
  const counts = Object.fromEntries(BAD_ROW_KINDS.map((kind) => [kind, 0])) as Record<
    BadRowKind,
    number
  >;
  for (const row of contacts) {
    const columnState = parseStateCode(row.state);
    const zipState = stateForZip(row.zip_code);
    if (isBlank(row.zip_code) && columnState !== undefined) counts.missing_zip++;
    if (isBlank(row.state) && zipState !== undefined) counts.missing_state++;
    if (columnState !== undefined && row.state !== columnState) counts.unnormalized_state++;
    if (columnState !== undefined && zipState !== undefined && columnState !== zipState) {
      counts.state_zip_mismatch++;
    }
    if (columnState === undefined && zipState === undefined) counts.unknown_state++;
    if (parseIsoDay(row.birth_date) === undefined) counts.invalid_birth_date++;
    if (parseIsoDay(row.effective_date) === undefined) counts.invalid_effective_date++;
    if (typeof row.email !== "string" || !EMAIL_PATTERN.test(row.email)) counts.invalid_email++;
  }
  return counts;
}

Deno.test("generateContacts() repeats rows for one seed", async () => {
  let first: Omit<Agency, "db"> | undefined;
  await withAgency({ contacts: 3_000, seed: 42 }, ({ contacts, events, summary }) => {
    first = { contacts, events, summary };
  });
  await withAgency({ contacts: 3_000, seed: 42 }, (second) => {
    assert.deepEqual(second.contacts, first?.contacts);
    assert.deepEqual(second.events, first?.events);
    assert.deepEqual(second.summary, first?.summary);
  });
});

Deno.test("generateContacts() varies rows with the seed", async () => {
  let seedOne: Row[] = [];
  await withAgency({ contacts: 1_000, seed: 1 }, ({ contacts }) => {
    seedOne = contacts;
  });
  await withAgency({ contacts: 1_000, seed: 2 }, ({ contacts }) => {
    const identical = contacts.filter((row, index) =>
      JSON.stringify(row) === JSON.stringify(seedOne[index])
    );
    assert.equal(contacts.length, seedOne.length);
    assert.equal(identical.length, 0);
  });
});

Deno.test("generateContacts() defaults the seed to 1", async () => {
  let defaultSeed: Row[] = [];
  await withAgency({ contacts: 500 }, ({ contacts }) => {
    defaultSeed = contacts;
  });
  await withAgency({ contacts: 500, seed: 1 }, ({ contacts }) => {
    assert.deepEqual(contacts, defaultSeed);
  });
});

Deno.test("generateContacts() numbers contacts from 1", async () => {
  await withAgency({ contacts: 250 }, ({ contacts, summary }) => {
    assert.equal(summary.total, 250);
    assert.deepEqual(
      contacts.map((row) => row.id),
      Array.from({ length: 250 }, (_, index) => index + 1),
    );
    assert.ok(contacts.every((row) => row.status === "active"));
  });
});

Deno.test("generateContacts() counts bad rows as written", async () => {
  await withAgency({ contacts: 10_000 }, ({ contacts, summary }) => {
    assert.deepEqual(countBadRows(contacts), summary.badRows);
  });
});

Deno.test("generateContacts() keeps bad rows near their shares", async () => {
  await withAgency({ contacts: 10_000 }, ({ summary }) => {
    for (const kind of BAD_ROW_KINDS) {
      const share = summary.badRows[kind] / summary.total;
      assertBetween(share, 0.004, 0.013, kind);
    }
    const badShare = Object.values(summary.badRows).reduce((sum, count) => sum + count, 0) /
      summary.total;
    assertBetween(badShare, 0.04, 0.08, "all kinds");
  });
});

Deno.test("generateContacts() writes ZIPs of the contact's state", async () => {
  await withAgency({ contacts: 10_000 }, ({ contacts, summary }) => {
    const mismatches = contacts.filter((row) => {
      const columnState = parseStateCode(row.state);
      const zipState = stateForZip(row.zip_code);
      return columnState !== undefined && zipState !== undefined && columnState !== zipState;
    });
    const unassignedZips = contacts.filter((row) =>
      !isBlank(row.zip_code) && stateForZip(row.zip_code) === undefined
    );
    assert.equal(mismatches.length, summary.badRows.state_zip_mismatch);
    assert.deepEqual(unassignedZips, []);
  });
});

Deno.test("generateContacts() counts contacts by resolved state", async () => {
  await withAgency({ contacts: 10_000 }, ({ contacts, summary }) => {
    const byState: Record<string, number> = {};
    for (const row of contacts) {
      const state = parseStateCode(row.state) ?? stateForZip(row.zip_code);
      if (state !== undefined) byState[state] = (byState[state] ?? 0) + 1;
    }
    const resolved = Object.values(summary.byState).reduce((sum, count) => sum + count, 0);
    assert.deepEqual(byState, summary.byState);
    assert.equal(resolved + summary.badRows.unknown_state, summary.total);
  });
});

Deno.test("generateContacts() mixes states by 65+ population", async () => {
  await withAgency({ contacts: 10_000 }, ({ summary }) => {
    const shareOf = (state: keyof GenerateSummary["byState"]) =>
      (summary.byState[state] ?? 0) / summary.total;
    const ranking = Object.entries(summary.byState).sort(([, a], [, b]) => b - a)
      .map(([state]) => state);
    assert.deepEqual(ranking.slice(0, 2), ["CA", "FL"]);
    assertBetween(shareOf("CA"), 0.08, 0.13, "CA");
    assertBetween(shareOf("WY"), 0.0005, 0.005, "WY");
    assert.ok(Object.keys(summary.byState).length >= 50);
  });
});

Deno.test("generateContacts() keeps ages within 65–95", async () => {
  for (const today of ["2026-03-01", "2028-02-29", "2027-12-31"]) {
    const todayDate = Temporal.PlainDate.from(today);
    await withAgency({ contacts: 5_000, today: todayDate }, ({ contacts }) => {
      const ages = contacts.filter((row) => parseIsoDay(row.birth_date) !== undefined)
        .map((row) =>
          Temporal.PlainDate.from(String(row.birth_date)).until(todayDate, { largestUnit: "years" })
            .years
        );
      assert.equal(Math.min(...ages), 65, `${today} youngest`);
      assert.equal(Math.max(...ages), 95, `${today} oldest`);
    });
  }
});

Deno.test("generateContacts() includes Feb 29 birthdays", async () => {
  await withAgency({ contacts: 10_000 }, ({ contacts }) => {
    const leapDayBirths = contacts.filter((row) =>
      parseIsoDay(row.birth_date) !== undefined && String(row.birth_date).endsWith("-02-29")
    );
    assert.ok(leapDayBirths.length >= 1);
  });
});

Deno.test("generateContacts() sets most effective dates on the 1st", async () => {
  await withAgency({ contacts: 10_000 }, ({ contacts, summary }) => {
    const dates = contacts.map((row) => row.effective_date)
      .filter((text) => parseIsoDay(text) !== undefined)
      .map((text) => Temporal.PlainDate.from(String(text)));
    const onFirst = dates.filter((date) => date.day === 1).length / dates.length;
    const future = dates.filter((date) => Temporal.PlainDate.compare(date, TODAY) > 0);
    const earliest = dates.reduce((a, b) => Temporal.PlainDate.compare(a, b) <= 0 ? a : b);
    const latest = dates.reduce((a, b) => Temporal.PlainDate.compare(a, b) >= 0 ? a : b);

    assertBetween(onFirst, 0.82, 0.92, "on the 1st");
    assert.equal(future.length, summary.futureEffectiveDates);
    assertBetween(future.length / dates.length, 0.01, 0.03, "after today");
    assert.ok(future.every((date) => date.day === 1));
    assert.ok(Temporal.PlainDate.compare(earliest, TODAY.subtract({ years: 15 })) >= 0);
    assert.ok(Temporal.PlainDate.compare(latest, Temporal.PlainDate.from("2026-06-01")) <= 0);
  });
});

Deno.test("generateContacts() starts policies at 65 or later", async () => {
  await withAgency({ contacts: 10_000 }, ({ contacts }) => {
    const early = contacts.filter((row) => {
      if (parseIsoDay(row.birth_date) === undefined) return false;
      if (parseIsoDay(row.effective_date) === undefined) return false;
      const birth = Temporal.PlainDate.from(String(row.birth_date));
      const turned65 = birth.add({ years: 65 }).with({ day: 1 });
      return Temporal.PlainDate.compare(
        Temporal.PlainDate.from(String(row.effective_date)),
        turned65,
      ) <
        0;
    });
    assert.deepEqual(early, []);
  });
});

Deno.test("generateContacts() sells Plan F before 2020 only", async () => {
  await withAgency({ contacts: 10_000 }, ({ contacts }) => {
    const planF = contacts.filter((row) => row.plan_type === "Plan F");
    const lateBirths = planF.filter((row) =>
      parseIsoDay(row.birth_date) !== undefined && String(row.birth_date) >= "1955"
    );
    assert.ok(planF.length > 0);
    assert.deepEqual(lateBirths, []);
  });
});

Deno.test("generateContacts() writes unique valid emails", async () => {
  await withAgency({ contacts: 10_000 }, ({ contacts }) => {
    const valid = contacts.map((row) => row.email)
      .filter((email) => typeof email === "string" && EMAIL_PATTERN.test(email));
    assert.equal(new Set(valid).size, valid.length);
    assert.equal(
      contacts[0].email,
      `${String(contacts[0].first_name).toLowerCase()}.${
        String(contacts[0].last_name).toLowerCase().replace(/[^a-z]/g, "")
      }1@example.com`,
    );
  });
});

Deno.test("generateContacts() answers eligibility for some contacts", async () => {
  await withAgency({ contacts: 10_000 }, ({ events, summary }) => {
    const latest = new Map<number, Row>();
    for (const event of events) {
      const previous = latest.get(Number(event.contact_id));
      assert.notEqual(previous?.created_at, event.created_at);
      if (previous === undefined || String(previous.created_at) < String(event.created_at)) {
        latest.set(Number(event.contact_id), event);
      }
    }
    const withConditions = [...latest.values()].filter((event) =>
      JSON.parse(String(event.metadata)).has_medical_conditions === true
    );
    const share = latest.size / summary.total;

    assert.ok(events.every((event) => event.event_type === "eligibility_answered"));
    assert.equal(events.length, summary.events);
    assert.equal(latest.size, summary.eligibilityAnswered);
    assert.ok(events.length > latest.size, "some contacts answered twice");
    assert.equal(withConditions.length, summary.medicalConditions);
    assertBetween(share, 0.02, 0.04, "answered");
  });
});

Deno.test("generateContacts() writes events in time order", async () => {
  await withAgency({ contacts: 10_000 }, ({ events }) => {
    const times = events.map((event) => String(event.created_at));
    const today = TODAY.toString();
    assert.deepEqual(times, [...times].sort());
    assert.ok(times.every((time) => time < today));
  });
});

Deno.test("generateContacts() reports progress per 100,000", async () => {
  const folder = await Deno.makeTempDir({ prefix: "generate_test_" });
  const db = new DatabaseSync(join(folder, "org.sqlite3"));
  try {
    const reports: Array<[number, number]> = [];
    generateContacts(db, {
      contacts: 200_050,
      today: TODAY,
      onProgress: (inserted, total) => reports.push([inserted, total]),
    });
    assert.deepEqual(reports, [[100_000, 200_050], [200_000, 200_050], [200_050, 200_050]]);
  } finally {
    db.close();
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("generateContacts() rejects a count out of range", async () => {
  const folder = await Deno.makeTempDir({ prefix: "generate_test_" });
  const db = new DatabaseSync(join(folder, "org.sqlite3"));
  try {
    for (const count of [0, -1, 1.5, Number.NaN, 5_000_001]) {
      assert.throws(() => generateContacts(db, { contacts: count, today: TODAY }), {
        name: "RangeError",
        message:
          `Cannot generate contacts: count must be a positive integer up to 5000000: ${count}`,
      });
    }
  } finally {
    db.close();
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("generateContacts() rejects a bad seed or date", async () => {
  const folder = await Deno.makeTempDir({ prefix: "generate_test_" });
  const db = new DatabaseSync(join(folder, "org.sqlite3"));
  try {
    assert.throws(() => generateContacts(db, { contacts: 10, seed: 0.5, today: TODAY }), {
      name: "RangeError",
      message: "Cannot generate contacts: seed must be a safe integer: 0.5",
    });
    assert.throws(
      () =>
        generateContacts(db, {
          contacts: 10,
          today: "2026-03-01" as unknown as Temporal.PlainDate,
        }),
      {
        name: "TypeError",
        message: "Cannot generate contacts: today must be a Temporal.PlainDate: 2026-03-01",
      },
    );
    assert.throws(
      () => generateContacts(db, { contacts: 10, today: Temporal.PlainDate.from("1899-12-31") }),
      {
        name: "RangeError",
        message: "Cannot generate contacts: today must be in the years 1900 to 9998: 1899-12-31",
      },
    );
  } finally {
    db.close();
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("generateContacts() rejects a table with contacts", async () => {
  await withAgency({ contacts: 20 }, ({ db }) => {
    const before = db.prepare("SELECT count(*) AS n FROM contact_events").get();
    assert.throws(() => generateContacts(db, { contacts: 10, today: TODAY }), {
      name: "RangeError",
      message: "Cannot generate contacts: contacts table must be empty: 20 rows",
    });
    assert.deepEqual(db.prepare("SELECT count(*) AS n FROM contact_events").get(), before);
  });
});

Deno.test("createAppTables() keeps existing tables", async () => {
  const folder = await Deno.makeTempDir({ prefix: "generate_test_" });
  const db = new DatabaseSync(join(folder, "org.sqlite3"));
  try {
    db.exec("CREATE TABLE contacts (id INTEGER PRIMARY KEY, email TEXT, agent_id INTEGER)");
    createAppTables(db);
    createAppTables(db);
    const columns = db.prepare("SELECT name FROM pragma_table_info('contacts')").all()
      .map((row) => row.name);
    const indexes = db.prepare("SELECT name FROM pragma_index_list('contact_events')").all()
      .map((row) => row.name);
    assert.deepEqual(columns, ["id", "email", "agent_id"]);
    assert.deepEqual(indexes, ["idx_contact_events_contact_type_created"]);
  } finally {
    db.close();
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("SeededRandom repeats its stream for one seed", () => {
  for (const seed of [0, 1, -1, 2 ** 32, Number.MAX_SAFE_INTEGER]) {
    const first = new SeededRandom(seed);
    const second = new SeededRandom(seed);
    const firstValues = Array.from({ length: 8 }, () => first.nextUint32());
    const secondValues = Array.from({ length: 8 }, () => second.nextUint32());
    assert.deepEqual(firstValues, secondValues);
  }
});

Deno.test("SeededRandom separates seeds 2^32 apart", () => {
  const low = new SeededRandom(5);
  const high = new SeededRandom(5 + 2 ** 32);
  assert.notEqual(low.nextUint32(), high.nextUint32());
});

Deno.test("SeededRandom rejects an unsafe seed", () => {
  assert.throws(() => new SeededRandom(2 ** 53), {
    name: "RangeError",
    message: "Cannot seed the random generator: seed must be a safe integer: 9007199254740992",
  });
});

Deno.test("WeightedChoice picks in proportion to weights", () => {
  const choice = new WeightedChoice([["rare", 1], ["never", 0], ["common", 3]] as const);
  const random = new SeededRandom(9);
  const counts = { rare: 0, never: 0, common: 0 };
  for (let draw = 0; draw < 40_000; draw++) counts[choice.pick(random)]++;
  assert.equal(counts.never, 0);
  assertBetween(counts.rare, 9_500, 10_500, "rare");
});

Deno.test("WeightedChoice rejects weights without a positive sum", () => {
  assert.throws(() => new WeightedChoice([["a", 0]]), {
    name: "RangeError",
    message: "Cannot build a weighted choice: weights must sum to more than 0: 0",
  });
  assert.throws(() => new WeightedChoice([["a", -1]]), {
    name: "RangeError",
    message: "Cannot build a weighted choice: weight must be a finite number >= 0: -1 for a",
  });
});
