import type { DatabaseSync } from "node:sqlite";
import { SchedulerError } from "../errors.ts";
import { readOrganization, readStateBuffers } from "../db/central.ts";
import { parseStateCode, type StateCode } from "../rules/states.ts";
import { daysInMonth } from "../rules/days.ts";
import {
  ORGANIZATION_COLUMN_NAMES,
  ORGANIZATION_COLUMNS,
  type OrganizationRow,
} from "./organization_schema.ts";
import { type ConfigOverrides, parseOverrides } from "./overrides.ts";
import type { EnvSettings } from "./env.ts";
import { openCentral } from "../db/central.ts";
import { countContactsWithEmail, openOrgDatabase } from "../db/org.ts";
import { resolveConfig } from "./resolve_config.ts";
import type { AgencyConfig } from "./agency_config.ts";

/** An agency's settings from the central database, validated, before the contact count is known. */
export interface AgencySettings {
  organization: OrganizationRow;
  overrides: ConfigOverrides;
  stateBufferDays: Partial<Record<StateCode, number>>;
  dbPath: string;
  dbPathSource: "column" | "environment" | "command line";
}

/**
 * Reads and validates one agency's row and state buffers: the only configuration queries of a run.
 * Throws a SchedulerError naming the agency id, the field and the value for an unknown agency, an
 * inactive one (unless `allowInactive`), a bad column, a bad override or a bad state buffer.
 */
export function loadAgencySettings(
  central: DatabaseSync,
  orgId: number,
  options: { env: EnvSettings; allowInactive?: boolean },
): AgencySettings {
  const { env, allowInactive = false } = options;

  const raw = readOrganization(central, orgId);
  if (raw === undefined) throw new SchedulerError(`Cannot load organization ${orgId}: not found`);
  const organization = validateOrganization(raw, orgId);
  if (organization.active !== 1 && !allowInactive) {
    throw new SchedulerError(`Cannot load organization ${orgId}: active is 0 (agency is inactive)`);
  }

  const parsed = parseOverrides(organization.config_overrides);
  if (!parsed.ok) {
    const { field, rule, value } = parsed.problem;
    throw new SchedulerError(`Cannot load organization ${orgId}: ${field} ${rule}: ${value}`);
  }

  const stateBufferDays = validateStateBuffers(readStateBuffers(central, orgId), orgId);
  const dbPathSource = organization.db_path === null ? "environment" : "column";
  const dbPath = organization.db_path ?? env.ORG_DB_PATH_TEMPLATE.replaceAll("{id}", String(orgId));
  return { organization, overrides: parsed.overrides, stateBufferDays, dbPath, dbPathSource };
}

/** Validates an `organizations` row column by column, so the error names the first bad column. */
export function validateOrganization(raw: Record<string, unknown>, orgId: number): OrganizationRow {
  const row: Record<string, unknown> = {};
  for (const column of ORGANIZATION_COLUMN_NAMES) {
    const { schema, rule } = ORGANIZATION_COLUMNS[column];
    const value = raw[column];
    const result = schema.safeParse(value);
    if (!result.success) {
      throw new SchedulerError(
        `Cannot load organization ${orgId}: ${column} ${rule}: ${JSON.stringify(value)}`,
      );
    }
    row[column] = result.data;
  }

  // February 29 is allowed: in years without one the AEP email goes out on February 28.
  const organization = row as OrganizationRow;
  if (organization.aep_day > daysInMonth(2000, organization.aep_month)) {
    throw new SchedulerError(
      `Cannot load organization ${orgId}: aep_day must be a day of month ${organization.aep_month}: ${organization.aep_day}`,
    );
  }
  return organization;
}

/** Validates state buffer rows: a known state code and a buffer of 0–365 days. */
export function validateStateBuffers(
  rows: ReadonlyArray<{ state_code: unknown; pre_exclusion_buffer_days: unknown }>,
  orgId: number,
): Partial<Record<StateCode, number>> {
  const buffers: Partial<Record<StateCode, number>> = {};
  for (const row of rows) {
    const state = parseStateCode(row.state_code);
    if (state === undefined || state !== row.state_code) {
      throw new SchedulerError(
        `Cannot load organization ${orgId}: organization_state_buffers.state_code must be a US state code: ${
          JSON.stringify(row.state_code)
        }`,
      );
    }
    const days = row.pre_exclusion_buffer_days;
    if (typeof days !== "number" || !Number.isInteger(days) || days < 0 || days > 365) {
      throw new SchedulerError(
        `Cannot load organization ${orgId}: organization_state_buffers.pre_exclusion_buffer_days for ${state} must be an integer from 0 to 365: ${
          JSON.stringify(days)
        }`,
      );
    }
    buffers[state] = days;
  }
  return buffers;
}

/**
 * Loads one agency's effective configuration: its central row and state buffers (read once), and
 * the count of its contacts with an email, which chooses the size profile.
 */
export function loadAgencyConfig(
  env: EnvSettings,
  orgId: number,
  options: { allowInactive?: boolean; dbPath?: string } = {},
): AgencyConfig {
  const central = openCentralFor(env.CENTRAL_DB_PATH, orgId);
  try {
    const settings = loadAgencySettings(central, orgId, { env, ...options });
    if (options.dbPath !== undefined) {
      settings.dbPath = options.dbPath;
      settings.dbPathSource = "command line";
    }
    const org = openOrgDatabase(settings.dbPath, orgId, { readOnly: true });
    try {
      const contactCount = countContactsWithEmail(org, orgId);
      return resolveConfig({ ...settings, contactCount });
    } finally {
      org.close();
    }
  } finally {
    central.close();
  }
}

/** Opens the central database. Its errors name the agency, as all configuration errors do. */
function openCentralFor(path: string, orgId: number): DatabaseSync {
  try {
    return openCentral(path);
  } catch (error) {
    if (!(error instanceof SchedulerError)) throw error;
    const reason = error.message.charAt(0).toLowerCase() + error.message.slice(1);
    throw new SchedulerError(`Cannot load organization ${orgId}: ${reason}`, { cause: error });
  }
}
