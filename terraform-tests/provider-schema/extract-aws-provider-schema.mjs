#!/usr/bin/env node
// Extracts, from the prebuilt AWS provider bindings on npm, the part of the hashicorp/aws
// provider schema that ProviderSchemaTest checks terraform/ against: for every resource and
// data source type the configuration uses, its arguments (required or not) and its nested
// blocks, recursively. See README.md next to this file.
//
//   node terraform-tests/provider-schema/extract-aws-provider-schema.mjs [newest|oldest [package.tgz | unpacked-package-dir]]
//
// Two schemas: "newest" from the bindings of a current provider release, and "oldest" from
// those of the release at the lower bound of the aws version constraint in terraform/versions.tf
// (the configuration must hold for both ends of the range). Without an argument, both. Without a
// package, it runs `npm pack <package>@<version>` (40-46 MB) in a temporary folder. It writes
// terraform-tests/src/test/resources/aws-provider-schema.json and aws-provider-schema-oldest.json.
//
// What is read, and why it is not a guess:
// - lib/<dir>/index.js: the class with `static tfResourceType = "aws_..."` and its base class
//   (cdktn.TerraformResource or cdktn.TerraformDataSource) name the Terraform type; its
//   constructor (`this._x = config.y`) and synthesizeHclAttributes() (`terraform_name: { value:
//   ...(this._x), isBlock, type }`) give each Terraform name with its config property; the
//   `fooToHclTerraform(struct)` functions do the same for the nested blocks.
// - lib/<dir>/index.d.ts: `fooToHclTerraform(struct?: Foo | ...)` names the struct of a block.
// - .jsii: which config and struct properties are optional (the generator makes a property
//   non-optional exactly when the provider schema marks it required, or a block has min_items>0).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = '@cdktn/provider-aws';
// Package version -> the hashicorp/aws release it was generated from (package.json "cdktf.provider").
const TARGETS = {
  newest: { version: '25.7.0', provider: '6.66.0', file: 'aws-provider-schema.json' },
  oldest: { version: '24.1.0', provider: '6.45.0', file: 'aws-provider-schema-oldest.json' },
};

const here = path.dirname(fileURLToPath(import.meta.url));
const module = path.resolve(here, '..');
const terraformDirs = [path.resolve(module, '..', 'terraform'), path.resolve(module, '..', 'terraform', 'bootstrap')];
const resources = path.join(module, 'src', 'test', 'resources');

function fail(message) {
  console.error('extract-aws-provider-schema: ' + message);
  process.exit(1);
}

function unpackedPackage(argument, version) {
  if (argument && fs.statSync(argument).isDirectory()) {
    return argument;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-provider-schema-'));
  let tgz = argument;
  if (!tgz) {
    console.error(`npm pack ${PACKAGE}@${version} in ${work}`);
    const packed = execFileSync('npm', ['pack', '--silent', `${PACKAGE}@${version}`], { cwd: work, encoding: 'utf8' });
    tgz = path.join(work, packed.trim().split('\n').pop());
  }
  execFileSync('tar', ['xzf', path.resolve(tgz), '-C', work]);
  return path.join(work, 'package');
}

/** The resource and data source types of the aws provider that terraform/ and terraform/bootstrap declare. */
function typesInUse() {
  const used = { resource: new Set(), data: new Set() };
  for (const dir of terraformDirs) {
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.tf'))) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const match of text.matchAll(/^(resource|data)\s+"(aws_[a-z0-9_]+)"/gm)) {
        used[match[1]].add(match[2]);
      }
    }
  }
  return used;
}

function filesUnder(dir, suffix) {
  return fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith(suffix)).sort().map((f) => path.join(dir, f));
}

/** terraform name -> { camel, isBlock, type, fn } from the `const attrs = { ... }` of one synthesis function. */
function hclAttributes(body, receiver, where) {
  const attributes = {};
  const entry = /^\s+"?([a-z0-9_]+)"?: \{\n\s+value: (.+),\n\s+isBlock: (true|false),\n\s+type: "(\w+)",\n\s+storageClassType: "(\w+)",\n\s+\},?$/gm;
  for (const m of body.matchAll(entry)) {
    const [, tfName, value, isBlock, type] = m;
    const property = value.match(receiver === 'this' ? /\(this\._(\w+)(?:\.internalValue)?\)+$/ : /\(struct!?\.(\w+)\)+$/);
    if (!property) {
      fail(`${where}: cannot read the property behind ${tfName} from "${value}"`);
    }
    const nestedFn = value.match(/(?:^|[^.\w])([a-z]\w*)ToHclTerraform\b/);
    attributes[tfName] = { property: property[1], isBlock: isBlock === 'true', type, fn: nestedFn ? nestedFn[1] : null };
  }
  if (Object.keys(attributes).length === 0 && !/const attrs = \{\s*\};/.test(body)) {
    fail(`${where}: found no attribute in ${body.slice(0, 200)}`);
  }
  return attributes;
}

function main() {
  const [which, packageArgument] = process.argv.slice(2);
  if (which && !TARGETS[which]) {
    fail(`usage: extract-aws-provider-schema.mjs [${Object.keys(TARGETS).join('|')} [package.tgz | unpacked-package-dir]]`);
  }
  for (const name of which ? [which] : Object.keys(TARGETS)) {
    extract(TARGETS[name], packageArgument);
  }
}

function extract(target, packageArgument) {
  const output = path.join(resources, target.file);
  const pkgDir = unpackedPackage(packageArgument, target.version);
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const provider = pkg.cdktf?.provider ?? pkg.cdktn?.provider;
  if (pkg.name !== PACKAGE || pkg.version !== target.version || provider?.version !== target.provider) {
    fail(`${pkgDir} holds ${pkg.name}@${pkg.version} from aws ${provider?.version}, not ${PACKAGE}@${target.version} from aws ${target.provider}`);
  }
  console.error(`reading ${pkg.name} ${pkg.version}, generated from ${provider.name} ${provider.version}`);
  const assembly = JSON.parse(fs.readFileSync(path.join(pkgDir, '.jsii'), 'utf8'));
  const used = typesInUse();

  // Which lib/<dir> defines which Terraform type.
  const located = { resource: {}, data: {} };
  const libDir = path.join(pkgDir, 'lib');
  for (const dir of fs.readdirSync(libDir)) {
    const js = path.join(libDir, dir, 'index.js');
    if (!fs.existsSync(js)) {
      continue;
    }
    const text = fs.readFileSync(js, 'utf8');
    const base = text.match(/class (\w+) extends cdktn\.(TerraformResource|TerraformDataSource) \{/);
    // `static tfResourceType = "..."` inside the class, or `Class.tfResourceType = "..."` after it (older builds).
    const type = base && text.match(new RegExp(`(?:static |${base[1]}\\.)tfResourceType = "([^"]+)";`));
    if (type && base) {
      const kind = base[2] === 'TerraformResource' ? 'resource' : 'data';
      if (located[kind][type[1]]) {
        fail(`${kind} ${type[1]} is defined twice, in ${located[kind][type[1]].dir} and ${dir}`);
      }
      located[kind][type[1]] = { dir: path.join(libDir, dir), className: base[1] };
    }
  }

  const schema = {
    _source: {
      package: `${pkg.name}@${pkg.version}`,
      provider: `${provider.name} ${provider.version}`,
      regenerate: 'node terraform-tests/provider-schema/extract-aws-provider-schema.mjs (see terraform-tests/provider-schema/README.md)',
    },
    resource: {},
    data: {},
  };
  for (const kind of ['resource', 'data']) {
    for (const type of [...used[kind]].sort()) {
      const where = located[kind][type];
      if (!where) {
        fail(`${pkg.name}@${pkg.version} has no ${kind} ${type}`);
      }
      schema[kind][type] = extractType(assembly, where, `${kind} ${type}`);
    }
  }
  fs.mkdirSync(path.dirname(output), { recursive: true });
  fs.writeFileSync(output, JSON.stringify(schema, null, 1) + '\n');
  console.error(`wrote ${path.relative(process.cwd(), output)}: ${Object.keys(schema.resource).length} resource types, `
      + `${Object.keys(schema.data).length} data source types, ${fs.statSync(output).size} bytes`);
}

function extractType(assembly, { dir, className }, label) {
  const jsText = filesUnder(dir, '.js').map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  const dtsText = filesUnder(dir, '.d.ts').map((f) => fs.readFileSync(f, 'utf8')).join('\n');

  const jsiiClass = Object.values(assembly.types).find((t) => t.kind === 'class' && t.name === className
      && t.locationInModule?.filename === `src/${path.basename(dir)}/index.ts`);
  if (!jsiiClass) {
    fail(`${label}: no class ${className} in the .jsii assembly`);
  }
  const configFqn = jsiiClass.initializer?.parameters?.[2]?.type?.fqn;
  const namespace = jsiiClass.fqn.slice(0, jsiiClass.fqn.length - className.length);

  // The resource: synthesizeHclAttributes() names properties by their private field; the constructor joins field and config property.
  const classStart = jsText.indexOf(`class ${className} extends cdktn.Terraform`);
  const classText = jsText.slice(classStart);
  const fieldToConfig = {};
  for (const m of classText.matchAll(/this\._(\w+)(?:\.internalValue)? = config\.(\w+);/g)) {
    fieldToConfig[m[1]] = m[2];
  }
  const synth = classText.match(/synthesizeHclAttributes\(\) \{\n\s+const attrs = \{\n([\s\S]*?)\n\s+\};\n/);
  if (!synth) {
    fail(`${label}: no synthesizeHclAttributes() in ${className}`);
  }
  const topLevel = hclAttributes(synth[0], 'this', label);
  for (const attribute of Object.values(topLevel)) {
    const configProperty = fieldToConfig[attribute.property];
    if (!configProperty) {
      fail(`${label}: the constructor does not set this._${attribute.property} from the config`);
    }
    attribute.property = configProperty;
  }
  return describe(assembly, configFqn, topLevel, jsText, dtsText, namespace, `${label}`);
}

/** { arguments: {name: required}, blocks: {name: {required, arguments, blocks}} } of one struct. */
function describe(assembly, structFqn, attributes, jsText, dtsText, namespace, label) {
  const struct = assembly.types[structFqn];
  if (!struct || struct.kind !== 'interface') {
    fail(`${label}: no struct ${structFqn} in the .jsii assembly`);
  }
  const optional = Object.fromEntries((struct.properties ?? []).map((p) => [p.name, p.optional === true]));
  const described = { arguments: {}, blocks: {} };
  const seen = new Set();
  for (const [tfName, attribute] of Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b))) {
    if (!(attribute.property in optional)) {
      fail(`${label}.${tfName}: ${structFqn} has no property ${attribute.property}`);
    }
    seen.add(attribute.property);
    const required = !optional[attribute.property];
    if (attribute.fn) {
      const nestedStruct = structOf(attribute.fn, dtsText, label + '.' + tfName);
      const nested = nestedAttributes(attribute.fn, jsText, label + '.' + tfName);
      const inner = describe(assembly, namespace + nestedStruct, nested, jsText, dtsText, namespace, label + '.' + tfName);
      // A nested attribute (isBlock false) is written `name = { ... }`, a block `name { ... }`: hcl4j parses both to a
      // map, and so both are checked alike; "block" keeps the difference for the message.
      described.blocks[tfName] = { required, block: attribute.isBlock, ...inner };
    } else {
      described.arguments[tfName] = required;
    }
  }
  const unmapped = Object.keys(optional).filter((p) => !seen.has(p));
  if (unmapped.length > 0) {
    fail(`${label}: ${structFqn} properties ${unmapped} have no Terraform name in the synthesis code`);
  }
  return described;
}

function structOf(fn, dtsText, label) {
  const declaration = dtsText.match(new RegExp(`export declare function ${fn}ToHclTerraform\\(struct\\?: ([^)]+)\\): any;`));
  if (!declaration) {
    fail(`${label}: no declaration of ${fn}ToHclTerraform`);
  }
  const candidates = declaration[1].split('|').map((s) => s.trim())
      .filter((s) => s !== 'cdktn.IResolvable' && !s.endsWith('OutputReference'));
  if (candidates.length !== 1 || !/^\w+$/.test(candidates[0])) {
    fail(`${label}: cannot tell the struct of ${fn}ToHclTerraform from "${declaration[1]}"`);
  }
  return candidates[0];
}

function nestedAttributes(fn, jsText, label) {
  const start = jsText.indexOf(`\nfunction ${fn}ToHclTerraform(struct) {`);
  if (start < 0) {
    fail(`${label}: no function ${fn}ToHclTerraform`);
  }
  const end = jsText.indexOf('\n}\n', start + 1);
  return hclAttributes(jsText.slice(start, end), 'struct', label);
}

main();
