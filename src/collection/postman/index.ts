/**
 * The Postman importer: Postman Collection v2.0/v2.1 files and environments into this format.
 * @packageDocumentation
 */
export {
  importPostman,
  importPostmanEnvironment,
  type PostmanEnvironmentImport,
  type PostmanImport,
} from "./import.ts";
