/**
 * Top-level fields of a protobuf message, read without a schema: enough to check a Tron raw_data before
 * it goes to the device (no memo) and, in the virtual Tron app, to read it as the app does.
 */
export interface ProtobufField {
  number: number;
  wireType: number;
  /** varint value, or the bytes of a length-delimited field */
  value: bigint | Buffer;
}

/** Every top-level field of a protobuf message; null when the bytes stop inside one. */
export function readProtobufFields(bytes: Buffer): ProtobufField[] | null {
  const fields: ProtobufField[] = [];
  let at = 0;
  while (at < bytes.length) {
    const key = readVarint(bytes, at);
    if (!key) return null;
    at = key.next;
    const number = Number(key.value >> 3n);
    const wireType = Number(key.value & 7n);
    if (number === 0) return null;
    if (wireType === 0) {
      const value = readVarint(bytes, at);
      if (!value) return null;
      fields.push({ number, wireType, value: value.value });
      at = value.next;
    } else if (wireType === 2) {
      const length = readVarint(bytes, at);
      if (!length || length.next + Number(length.value) > bytes.length) return null;
      fields.push({ number, wireType, value: bytes.subarray(length.next, length.next + Number(length.value)) });
      at = length.next + Number(length.value);
    } else if (wireType === 1 || wireType === 5) {
      const size = wireType === 1 ? 8 : 4;
      if (at + size > bytes.length) return null;
      fields.push({ number, wireType, value: bytes.subarray(at, at + size) });
      at += size;
    } else {
      return null;
    }
  }
  return fields;
}

function readVarint(bytes: Buffer, start: number): { value: bigint; next: number } | null {
  let value = 0n;
  for (let i = 0; i < 10; i += 1) {
    const byte = bytes[start + i];
    if (byte === undefined) return null;
    value |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) return { value, next: start + i + 1 };
  }
  return null;
}


/** raw_data.data (field 10) is the memo; Treasury never attaches one, and the Tron app refuses it by default. */
export const TRON_RAW_DATA_MEMO_FIELD = 10;

/** Whether a Tron raw_data carries a memo; null when the bytes are not a protobuf message. */
export function tronRawDataHasMemo(rawData: Buffer): boolean | null {
  const fields = readProtobufFields(rawData);
  return fields === null ? null : fields.some((field) => field.number === TRON_RAW_DATA_MEMO_FIELD);
}
