// How much evidence an objection may carry: read by the HTTP body caps too, so it imports nothing.
export const MAX_OBJECTION_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_OBJECTION_FILES = 3;
