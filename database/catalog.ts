/** The product catalogue: list, look up, upsert with checked input, and demo seed data. */
import type { MikroORM } from '@mikro-orm/core';
import { InputError } from '../common/outcomes';
import type { Product, ProductInput } from '../common/product';
import { productInputProblems } from '../common/validation';
import { ProductSchema } from './entities';
import { readRows, statementBuilder } from './plain-sql';
import { databaseCall } from './unavailable';

const DEFAULT_WAREHOUSE = 'eu-west';

/** Refuses input that breaks the catalogue's rules, naming the first field at fault. */
function checkInput(input: ProductInput): void {
  const [problem] = productInputProblems(input);
  if (problem) throw new InputError(problem.field.join('.'), problem.message);
}

function plain(product: Product): Product {
  const { sku, name, priceCents, available, reserved, sold, discontinued, warehouse } = product;
  return { sku, name, priceCents, available, reserved, sold, discontinued, warehouse };
}

interface ProductRow {
  sku: string;
  name: string;
  price_cents: number;
  available: number;
  reserved: number;
  sold: number;
  discontinued: number | boolean;
  warehouse: string;
}

const PRODUCT_COLUMNS = [
  'sku',
  'name',
  'price_cents',
  'available',
  'reserved',
  'sold',
  'discontinued',
  'warehouse',
];

/** A row as the driver answers it: SQLite's booleans are 0 and 1. */
function productOf(row: ProductRow): Product {
  return {
    sku: row.sku,
    name: row.name,
    priceCents: Number(row.price_cents),
    available: Number(row.available),
    reserved: Number(row.reserved),
    sold: Number(row.sold),
    discontinued: Boolean(Number(row.discontinued)),
    warehouse: row.warehouse,
  };
}

/**
 * Every product, in SKU order. Read with plain SQL on the ORM's connection: `products` is read on every page view,
 * and hydrating entities into a unit of work costs several times the query itself (see the README's figures).
 */
export async function listProducts(orm: MikroORM): Promise<Product[]> {
  const rows = await databaseCall(orm, 'list products', () =>
    readRows<ProductRow>(orm, statementBuilder(orm)('product').orderBy('sku').select(PRODUCT_COLUMNS)),
  );
  return rows.map(productOf);
}

/** The products among `skus` that exist, in SKU order; unknown SKUs are absent. Plain SQL too: every order prices. */
export async function findProducts(orm: MikroORM, skus: readonly string[]): Promise<Product[]> {
  if (skus.length === 0) return [];
  const rows = await databaseCall(orm, 'find products', () =>
    readRows<ProductRow>(
      orm,
      statementBuilder(orm)('product')
        .whereIn('sku', [...skus])
        .orderBy('sku')
        .select(PRODUCT_COLUMNS),
    ),
  );
  return rows.map(productOf);
}

/** Creates or updates a product; `stock` sets the available units, reservations already made stay. */
export async function upsertProduct(orm: MikroORM, input: ProductInput): Promise<Product> {
  checkInput(input);
  return databaseCall(orm, `upsert product ${input.sku}`, () => upsertChecked(orm, input));
}

function upsertChecked(orm: MikroORM, input: ProductInput): Promise<Product> {
  return orm.em.fork().transactional(async (em) => {
    const fields = {
      name: input.name.trim(),
      priceCents: input.priceCents,
      available: input.stock,
      discontinued: input.discontinued,
    };
    const existing = await em.findOne(ProductSchema, { sku: input.sku });
    if (existing) {
      em.assign(existing, { ...fields, warehouse: input.warehouse?.trim() ?? existing.warehouse });
      return plain(existing);
    }
    const created = em.create(ProductSchema, {
      sku: input.sku,
      ...fields,
      warehouse: input.warehouse?.trim() ?? DEFAULT_WAREHOUSE,
      reserved: 0,
      sold: 0,
    });
    return plain(created);
  });
}

const DEMO_PRODUCTS: ProductInput[] = [
  {
    sku: 'MUG-BLUE',
    name: 'Blue enamel mug',
    priceCents: 1500,
    stock: 40,
    discontinued: false,
    warehouse: 'eu-west',
  },
  {
    sku: 'TEE-ORBIT',
    name: 'Orbit T-shirt',
    priceCents: 2500,
    stock: 25,
    discontinued: false,
    warehouse: 'eu-west',
  },
  {
    sku: 'LAMP-ARC',
    name: 'Arc desk lamp',
    priceCents: 8900,
    stock: 8,
    discontinued: false,
    warehouse: 'us-east',
  },
  {
    sku: 'KBD-TKL',
    name: 'Tenkeyless keyboard',
    priceCents: 12900,
    stock: 5,
    discontinued: false,
    warehouse: 'us-east',
  },
  {
    sku: 'CHAIR-PRO',
    name: 'Ergonomic chair',
    priceCents: 64900,
    stock: 3,
    discontinued: false,
    warehouse: 'ap-south',
  },
  {
    sku: 'SOCKS-3',
    name: 'Three pairs of socks',
    priceCents: 1200,
    stock: 1,
    discontinued: false,
    warehouse: 'ap-south',
  },
  {
    sku: 'PAGER-90',
    name: '1990s pager',
    priceCents: 4900,
    stock: 10,
    discontinued: true,
    warehouse: 'us-east',
  },
];

/** Adds the demo products that are missing; never overwrites one that is there. */
export async function seedDemoProducts(orm: MikroORM): Promise<void> {
  const present = new Set(
    (
      await findProducts(
        orm,
        DEMO_PRODUCTS.map((product) => product.sku),
      )
    ).map((product) => product.sku),
  );
  for (const product of DEMO_PRODUCTS) {
    if (!present.has(product.sku)) await upsertProduct(orm, product);
  }
}
