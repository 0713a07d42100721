/**
 * The make-up of a synthetic Medigap agency's contacts: where they live, how old they are, their
 * names, carriers and plans. Every weight here is an approximation written from general knowledge,
 * good enough for realistic test data and not a statistic to quote.
 */

import type { StateCode } from "../rules/states.ts";

/**
 * Residents aged 65 and over per state, in thousands. These are rough estimates from memory of US
 * Census Bureau figures for the early 2020s, not checked against the published tables. Territories without ZIP prefixes of their own (American Samoa,
 * Northern Mariana Islands) and military mail codes are left out because no ZIP can be generated
 * for them.
 */
export const STATE_WEIGHTS: ReadonlyArray<readonly [StateCode, number]> = [
  ["AL", 880],
  ["AK", 100],
  ["AZ", 1340],
  ["AR", 530],
  ["CA", 6000],
  ["CO", 910],
  ["CT", 640],
  ["DE", 200],
  ["DC", 90],
  ["FL", 4700],
  ["GA", 1650],
  ["HI", 280],
  ["ID", 330],
  ["IL", 2150],
  ["IN", 1150],
  ["IA", 560],
  ["KS", 490],
  ["KY", 780],
  ["LA", 780],
  ["ME", 300],
  ["MD", 1000],
  ["MA", 1250],
  ["MI", 1860],
  ["MN", 970],
  ["MS", 500],
  ["MO", 1100],
  ["MT", 220],
  ["NE", 330],
  ["NV", 540],
  ["NH", 290],
  ["NJ", 1550],
  ["NM", 400],
  ["NY", 3500],
  ["NC", 1840],
  ["ND", 120],
  ["OH", 2150],
  ["OK", 650],
  ["OR", 800],
  ["PA", 2500],
  ["RI", 200],
  ["SC", 1000],
  ["SD", 160],
  ["TN", 1200],
  ["TX", 4000],
  ["UT", 400],
  ["VT", 130],
  ["VA", 1450],
  ["WA", 1300],
  ["WV", 370],
  ["WI", 1050],
  ["WY", 100],
  ["PR", 700],
  ["VI", 20],
  ["GU", 20],
]; // deno-fmt-ignore

/** Youngest age of a generated contact, in whole years. Medicare starts at 65. */
export const MIN_AGE = 65;

/** Oldest age of a generated contact, in whole years. */
export const MAX_AGE = 95;

/**
 * Relative number of people of each age from MIN_AGE to MAX_AGE, index 0 being age 65. The
 * numbers approximate the US population by single year of age: the baby-boom cohorts keep the
 * late sixties large, and the curve falls faster after 75.
 */
export const AGE_WEIGHTS: readonly number[] = [
  1000,
  985,
  965,
  940,
  910,
  880,
  850,
  810,
  770,
  730,
  700,
  620,
  560,
  510,
  470,
  430,
  390,
  350,
  310,
  280,
  250,
  220,
  190,
  165,
  140,
  115,
  95,
  75,
  60,
  45,
  35,
]; // deno-fmt-ignore

/** Given names common among Americans born between 1930 and 1961. */
export const FIRST_NAMES: readonly string[] = [
  "Mary", "Patricia", "Linda", "Barbara", "Elizabeth", "Jennifer", "Susan", "Margaret", "Dorothy",
  "Lisa", "Nancy", "Karen", "Betty", "Helen", "Sandra", "Donna", "Carol", "Ruth", "Sharon",
  "Michelle", "Laura", "Sarah", "Kimberly", "Deborah", "Jessica", "Shirley", "Cynthia", "Angela",
  "Melissa", "Brenda", "Judith", "Joyce", "Virginia", "Janet", "Frances", "Martha", "Gloria",
  "Teresa", "Carolyn", "Evelyn", "Jean", "Cheryl", "Diane", "Kathleen", "Rosa", "Maria", "Yolanda",
  "James", "John", "Robert", "Michael", "William", "David", "Richard", "Charles", "Joseph",
  "Thomas", "Christopher", "Daniel", "Paul", "Mark", "Donald", "George", "Kenneth", "Steven",
  "Edward", "Brian", "Ronald", "Anthony", "Kevin", "Jason", "Gary", "Timothy", "Larry", "Jeffrey",
  "Frank", "Scott", "Eric", "Stephen", "Raymond", "Gregory", "Samuel", "Walter", "Harold",
  "Dennis", "Jerry", "Roger", "Gerald", "Carl", "Terry", "Lawrence", "Arthur", "Jose", "Juan",
  "Wei", "Hiroshi", "Linh",
]; // deno-fmt-ignore

/** Family names common in the United States, a few with apostrophes or hyphens. */
export const LAST_NAMES: readonly string[] = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
  "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
  "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez",
  "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen",
  "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell",
  "Carter", "Roberts", "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards",
  "Collins", "Reyes", "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez",
  "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim",
  "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray",
  "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers",
  "Long", "Ross", "Foster", "Jimenez", "O'Brien", "O'Connor", "McDonald", "Smith-Jones", "Schmidt",
  "Kowalski", "Yamamoto", "Chen", "Olson",
]; // deno-fmt-ignore

/** Medigap carriers with a rough share of policies each. */
export const CARRIER_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ["UnitedHealthcare", 30],
  ["Mutual of Omaha", 14],
  ["Blue Cross Blue Shield", 13],
  ["Aetna", 11],
  ["Humana", 9],
  ["Cigna", 9],
  ["Anthem", 5],
  ["Wellcare", 3],
  ["Manhattan Life", 2],
  ["Bankers Fidelity", 2],
  ["Transamerica", 2],
];

/** Medigap plans with a rough share each. */
export const PLAN_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ["Plan G", 58],
  ["Plan N", 24],
  ["Plan F", 15],
  ["High Deductible Plan G", 2],
  ["Plan K", 1],
];

/**
 * First year in which people turning 65 can no longer buy Plan F (the MACRA law of 2015 closed it
 * to anyone newly eligible for Medicare from January 1, 2020).
 */
export const PLAN_F_CLOSED_FROM_YEAR = 2020;
