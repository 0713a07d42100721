import { PRIORITIES } from "../config/constants.ts";
import { KINDS_BY_CODE } from "./plan_contact.ts";

/** Priority of each kind code of the compact plan. */
export const PRIORITY_BY_KIND_CODE: readonly number[] = KINDS_BY_CODE.map((kind) =>
  PRIORITIES[kind]
);
