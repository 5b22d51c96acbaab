import { GraphQLError, GraphQLScalarType, Kind } from "graphql";

function toDate(value: unknown): Date | null {
  if (value instanceof Date) return value;
  if (typeof value === "string" || typeof value === "number") return new Date(value);
  return null;
}

/** ISO-8601 in UTC on the way out; accepts ISO strings on the way in. */
export const DateTime = new GraphQLScalarType<Date, string>({
  name: "DateTime",
  description: "An ISO-8601 date-time in UTC.",
  serialize(value) {
    const date = toDate(value);
    if (date === null || Number.isNaN(date.getTime()))
      throw new GraphQLError("DateTime cannot represent this value");
    return date.toISOString();
  },
  parseValue(value) {
    const date = typeof value === "string" ? new Date(value) : null;
    if (date === null || Number.isNaN(date.getTime()))
      throw new GraphQLError("DateTime must be an ISO-8601 string");
    return date;
  },
  parseLiteral(ast) {
    const date = ast.kind === Kind.STRING ? new Date(ast.value) : null;
    if (date === null || Number.isNaN(date.getTime()))
      throw new GraphQLError("DateTime must be an ISO-8601 string");
    return date;
  },
});
