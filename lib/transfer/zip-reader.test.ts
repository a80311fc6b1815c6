import { describe, expect, it } from "vitest";
import { BufferReader, declareUncompressedSize, makeZip, patchBytes } from "@/e2e/support/zip-build";
import { openZip } from "@/lib/transfer/zip-reader";

const open = (zip: Buffer) => openZip(new BufferReader(zip), zip.length);

describe("openZip", () => {
  it("lists the files of an archive and reads them, stored or deflated", async () => {
    const zip = await open(
      await makeZip([
        { name: "manifest.json", data: "{}" },
        { name: "notes/a-1.md", data: "x".repeat(5000), compress: true },
      ]),
    );
    expect([...zip.entries.keys()]).toEqual(["manifest.json", "notes/a-1.md"]);
    expect(zip.entries.get("notes/a-1.md")!.size).toBe(5000);
    expect(await zip.readText("notes/a-1.md", 10_000)).toBe("x".repeat(5000));
    zip.close();
  });

  it("refuses an entry whose name climbs out of the archive (../)", async () => {
    const zip = patchBytes(await makeZip([{ name: "xx/evil.txt", data: "owned" }]), "xx/evil.txt", "../evil.txt");
    await expect(open(zip)).rejects.toThrow(/not a valid zip file.*\.\.\/evil\.txt/);
  });

  it("refuses an absolute entry name", async () => {
    const zip = patchBytes(await makeZip([{ name: "x/etc/passwd", data: "root" }]), "x/etc/passwd", "//etc/passwd");
    await expect(open(zip)).rejects.toThrow(/not a valid zip file/);
  });

  it("refuses a truncated archive before reading anything", async () => {
    const whole = await makeZip([{ name: "a.txt", data: "hello".repeat(100) }]);
    await expect(open(whole.subarray(0, whole.length - 30))).rejects.toThrow(/not a valid zip file/);
  });

  it("stops a zip bomb at its declared size: an entry may not inflate to more than it declares", async () => {
    const bomb = declareUncompressedSize(
      await makeZip([{ name: "notes/bomb-1.md", data: Buffer.alloc(4 * 1024 * 1024), compress: true }]),
      100,
    );
    const zip = await open(bomb);
    expect(zip.entries.get("notes/bomb-1.md")!.size).toBe(100);
    await expect(zip.readText("notes/bomb-1.md", 1000)).rejects.toThrow(/notes\/bomb-1\.md: the archive is damaged/);
  });

  it("refuses to read an entry that declares more than the caller accepts", async () => {
    const zip = await open(await makeZip([{ name: "big.md", data: "y".repeat(2000), compress: true }]));
    await expect(zip.readText("big.md", 1000)).rejects.toThrow("big.md: is larger than 1000 bytes");
  });

  it("refuses text that is not UTF-8", async () => {
    const zip = await open(await makeZip([{ name: "bin.md", data: Buffer.from([0xff, 0xfe, 0x00, 0xc3]) }]));
    await expect(zip.readText("bin.md", 1000)).rejects.toThrow("bin.md: is not UTF-8 text");
  });

  it("refuses two entries of the same name", async () => {
    const zip = patchBytes(
      await makeZip([
        { name: "a1.txt", data: "one" },
        { name: "a2.txt", data: "two" },
      ]),
      "a2.txt",
      "a1.txt",
    );
    await expect(open(zip)).rejects.toThrow("a1.txt: the archive holds two entries of this name");
  });
});
