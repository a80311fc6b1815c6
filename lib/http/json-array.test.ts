import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonArray, jsonArrayStream } from "@/lib/http/json-array";
import { json } from "@/lib/http/problem";

/** Every chunk the stream gives, read one at a time as a client would. */
async function chunksOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  return chunks;
}

const big = (i: number) => ({ id: i, title: `note ${i}`, description: "ж".repeat(100_000) });

describe("jsonArray", () => {
  it("sends byte for byte what json() sends, with the same headers", async () => {
    const items = [
      { id: 1, title: "a", file_url: null },
      { id: 2, title: '\u0001"é😀\u2028', file_url: "https://x/y?z=1&w=2" },
    ];
    const headers = { link: '</notes?cursor=x>; rel="next"' };
    const streamed = jsonArray(items, { headers });
    const whole = json(items, { headers });
    expect(await streamed.text()).toBe(await whole.text());
    expect([...streamed.headers]).toEqual([...whole.headers]);
    expect(streamed.status).toBe(200);
  });

  it("writes any array as JSON.stringify does, empty ones and values without a JSON form included", async () => {
    for (const items of [
      [],
      [null],
      [undefined, () => 1, Symbol("x")],
      [[1, [2]], { toJSON: () => "t" }, "s", 0, -0, 1e21],
    ]) {
      expect(await new Response(jsonArrayStream(items as unknown[])).text()).toBe(JSON.stringify(items));
    }
    fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue(), { maxLength: 30 }), async (items) => {
        expect(await new Response(jsonArrayStream(items)).text()).toBe(JSON.stringify(items));
      }),
      { numRuns: 200 },
    );
  });

  it("sends small items together and a large page item by item", async () => {
    const small = Array.from({ length: 100 }, (_, i) => ({ id: i, title: `note ${i}` }));
    expect(await chunksOf(jsonArrayStream(small))).toHaveLength(1);
    const large = Array.from({ length: 5 }, (_, i) => big(i));
    const chunks = await chunksOf(jsonArrayStream(large));
    expect(chunks).toHaveLength(5);
    expect(Math.max(...chunks.map((c) => c.byteLength))).toBeLessThan(JSON.stringify(large[0]).length * 2 + 16);
    expect(Buffer.concat(chunks).toString("utf8")).toBe(JSON.stringify(large));
  });

  it("streams a large page from jsonArray item by item, the same bytes as json()", async () => {
    const large = Array.from({ length: 5 }, (_, i) => big(i));
    const chunks = await chunksOf(jsonArray(large).body!);
    expect(chunks).toHaveLength(5);
    expect(Buffer.concat(chunks).toString("utf8")).toBe(JSON.stringify(large));
    expect(await jsonArray([]).text()).toBe("[]");
  });

  it("stringifies an item only when the client reads on", async () => {
    let stringified = 0;
    const items = Array.from({ length: 10 }, (_, i) => ({ toJSON: () => (stringified++, big(i)) }));
    const reader = jsonArrayStream(items).getReader();
    await reader.read();
    await new Promise((r) => setTimeout(r, 10));
    expect(stringified).toBe(1);
    await reader.read();
    expect(stringified).toBe(2);
    await reader.cancel();
  });
});
