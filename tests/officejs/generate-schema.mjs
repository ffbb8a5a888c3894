// The shape of Excel's JavaScript API, read from the pinned @types/office-js declarations.
//
// The fake Excel (fake-office.cjs) is strict because of this file: every class with its
// properties (read-only or not, scalar, enum or navigation) and methods (with enum-typed
// parameters and what they return), every enum's allowed strings, the fields of the option
// interfaces (whose enum fields Excel checks too) and the API set each member arrived in.
// Written to build/office-schema.json; nothing here is hand-listed.
//
//   node generate-schema.mjs [out.json]

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const ts = require("typescript");
const here = path.dirname(fileURLToPath(import.meta.url));
const declarations = require.resolve("@types/office-js/index.d.ts");
const typesVersion = require("@types/office-js/package.json").version;
const out = process.argv[2] || path.join(here, "build", "office-schema.json");

const source = ts.createSourceFile(
  declarations,
  fs.readFileSync(declarations, "utf8"),
  ts.ScriptTarget.Latest,
  true,
);

// `declare namespace Excel { ... }`, without the nested `Interfaces` (load/update options).
function excelBlocks() {
  const blocks = [];
  for (const statement of source.statements) {
    if (ts.isModuleDeclaration(statement) && statement.name.text === "Excel" && statement.body) {
      blocks.push(statement.body);
    }
  }
  return blocks;
}

const API_SET = /\[Api set: (ExcelApi(?:Desktop|Online)?) (\d+\.\d+)/;

function apiSet(node) {
  for (const doc of ts.getJSDocCommentsAndTags(node)) {
    const match = API_SET.exec(doc.getText());
    if (match) return [match[1], match[2]];
  }
  return null;
}

// A type as the fake needs it: which Excel class, enum or interface it names, if any.
function describe(typeNode, names) {
  if (!typeNode) return { kind: "scalar", text: "any" };
  const text = typeNode.getText();
  const refs = [];
  const visit = (node) => {
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText().replace(/^Excel\./, "");
      refs.push({ name, args: node.typeArguments || [] });
    }
    ts.forEachChild(node, visit);
  };
  visit(typeNode);
  const literals = [];
  const collectLiterals = (node) => {
    if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) {
      literals.push(node.literal.text);
    }
    ts.forEachChild(node, collectLiterals);
  };
  collectLiterals(typeNode);
  if (/^OfficeExtension\.ClientResult</.test(text)) return { kind: "result", text };
  if (/^OfficeExtension\.EventHandlers</.test(text)) return { kind: "event", text };
  if (/^OfficeExtension\.ClientResult/.test(text)) return { kind: "result", text };
  const top = refs[0];
  if (ts.isArrayTypeNode(typeNode)) {
    const element = typeNode.elementType.getText().replace(/^Excel\./, "");
    if (names.classes.has(element)) return { kind: "objects", class: element, text };
    if (names.interfaces.has(element)) return { kind: "scalar", interface: element, array: 1, text };
    return { kind: "scalar", text };
  }
  if (top && names.classes.has(top.name) && refs.length === 1) {
    return { kind: "object", class: top.name, text };
  }
  const enumRef = refs.find((r) => names.enums.has(r.name));
  if (enumRef) return { kind: "enum", enum: enumRef.name, literals, text };
  if (top && names.interfaces.has(top.name)) return { kind: "scalar", interface: top.name, text };
  if (literals.length && !refs.length && !/\b(string|number|boolean|any)\b/.test(text)) {
    return { kind: "literal", literals, text };
  }
  return { kind: "scalar", text };
}

function collectNames(blocks) {
  const names = { classes: new Set(), enums: new Set(), interfaces: new Set() };
  for (const block of blocks) {
    for (const statement of block.statements) {
      if (ts.isClassDeclaration(statement) && statement.name) names.classes.add(statement.name.text);
      if (ts.isEnumDeclaration(statement)) names.enums.add(statement.name.text);
      if (ts.isInterfaceDeclaration(statement)) names.interfaces.add(statement.name.text);
    }
  }
  return names;
}

function modifiers(node) {
  return (ts.getModifiers(node) || []).map((m) => m.kind);
}

function main() {
  const blocks = excelBlocks();
  const names = collectNames(blocks);
  const schema = {
    source: `@types/office-js ${typesVersion}`,
    classes: {},
    enums: {},
    interfaces: {},
    functions: [],
  };
  for (const block of blocks) {
    for (const statement of block.statements) {
      if (ts.isEnumDeclaration(statement)) {
        const values = {};
        for (const member of statement.members) {
          if (member.initializer && ts.isStringLiteral(member.initializer)) {
            values[member.name.getText()] = member.initializer.text;
          }
        }
        schema.enums[statement.name.text] = values;
      } else if (ts.isInterfaceDeclaration(statement)) {
        const fields = {};
        for (const member of statement.members) {
          if (ts.isPropertySignature(member) && member.name) {
            fields[member.name.getText()] = {
              optional: Boolean(member.questionToken),
              ...describe(member.type, names),
            };
          }
        }
        schema.interfaces[statement.name.text] = { fields };
      } else if (ts.isClassDeclaration(statement) && statement.name) {
        const cls = {
          base: statement.heritageClauses?.[0]?.types?.[0]?.expression.getText() || null,
          api: apiSet(statement),
          props: {},
          methods: {},
        };
        for (const member of statement.members) {
          const name = member.name && member.name.getText();
          if (!name || name === "context") continue;
          if (ts.isPropertyDeclaration(member)) {
            cls.props[name] = {
              readonly: modifiers(member).includes(ts.SyntaxKind.ReadonlyKeyword),
              api: apiSet(member),
              ...describe(member.type, names),
            };
          } else if (ts.isGetAccessorDeclaration(member)) {
            cls.props[name] = { readonly: true, api: apiSet(member), ...describe(member.type, names) };
          } else if (ts.isMethodDeclaration(member)) {
            const overload = {
              api: apiSet(member),
              params: member.parameters.map((p) => ({
                name: p.name.getText(),
                optional: Boolean(p.questionToken || p.initializer),
                rest: Boolean(p.dotDotDotToken),
                ...describe(p.type, names),
              })),
              returns: describe(member.type, names),
            };
            (cls.methods[name] ||= []).push(overload);
          }
        }
        schema.classes[statement.name.text] = cls;
      } else if (ts.isFunctionDeclaration(statement) && statement.name) {
        schema.functions.push(statement.name.text);
      }
    }
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(schema));
  const count = (o) => Object.keys(o).length;
  console.log(
    `${out}: ${count(schema.classes)} classes, ${count(schema.enums)} enums, ` +
      `${count(schema.interfaces)} interfaces from ${schema.source}`,
  );
}

main();
