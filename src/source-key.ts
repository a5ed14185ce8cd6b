// A short key for the state of a checkout's sources (every src/**/*.ts and the lockfile): what a
// build cached under node_modules/.cache is keyed by, so an edit rebuilds it and an unchanged
// checkout does not.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function sourceKey(root: string): string {
  const hash = crypto.createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.ts')) hash.update(`${path.relative(root, p)}\0`).update(fs.readFileSync(p));
    }
  };
  walk(path.join(root, 'src'));
  const lock = path.join(root, 'package-lock.json');
  if (fs.existsSync(lock)) hash.update(fs.readFileSync(lock));
  return hash.digest('hex').slice(0, 16);
}
