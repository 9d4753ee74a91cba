import { Rng } from "../util/random";

/** One product of the demo catalogue. */
export interface DemoProduct {
  /** Id like "P0307" (category 03, item 07). */
  product_id: string;
  /** Human name, e.g. "Linen Shirt Navy". */
  product_name: string;
  /** Category name. */
  category: string;
  /** List price per unit. */
  price: number;
  /** Relative popularity inside its category. */
  popularity: number;
  /** Index of the category in {@link DEMO_CATEGORIES}. */
  categoryIndex: number;
}

interface CategorySpec {
  name: string;
  /** [noun, base price] */
  items: Array<[string, number]>;
  variants: string[];
}

/** Categories with their product nouns, base prices and variants. */
const CATEGORY_SPECS: CategorySpec[] = [
  { name: "Apparel", variants: ["Navy", "Black", "White", "Grey"], items: [["Linen Shirt", 45], ["Denim Jeans", 60], ["Wool Sweater", 75], ["Cotton T-Shirt", 18], ["Rain Jacket", 95], ["Summer Dress", 55], ["Chino Trousers", 50], ["Hoodie", 40]] },
  { name: "Footwear", variants: ["Black", "Brown", "White"], items: [["Trail Running Shoes", 95], ["Leather Boots", 140], ["Canvas Sneakers", 55], ["Sandals", 35], ["Slippers", 22], ["Loafers", 85], ["Hiking Boots", 150], ["Ankle Boots", 110], ["Court Shoes", 70], ["Flip Flops", 12]] },
  { name: "Accessories", variants: ["Black", "Tan", "Red"], items: [["Leather Belt", 30], ["Wool Scarf", 25], ["Sunglasses", 40], ["Canvas Tote", 20], ["Baseball Cap", 15], ["Wallet", 35], ["Umbrella", 18], ["Beanie", 12], ["Gloves", 22], ["Hair Clips Set", 6]] },
  { name: "Beauty", variants: ["250ml", "500ml", "Travel Size"], items: [["Argan Shampoo", 9], ["Argan Conditioner", 9], ["Face Cream", 24], ["Lip Balm", 4], ["Body Lotion", 11], ["Sunscreen SPF50", 14], ["Hand Soap", 5], ["Night Serum", 32], ["Face Mask", 7], ["Bath Salts", 10]] },
  { name: "Home", variants: ["Oak", "White", "Charcoal"], items: [["Scented Candle", 16], ["Throw Blanket", 45], ["Table Lamp", 65], ["Picture Frame", 14], ["Cushion Cover", 18], ["Wall Clock", 35], ["Storage Basket", 22], ["Doormat", 20], ["Vase", 28], ["Bath Towel", 19]] },
  { name: "Kitchen", variants: ["Steel", "Ceramic", "Bamboo"], items: [["Pour-Over Coffee Dripper", 24], ["Paper Coffee Filters", 5], ["Chef Knife", 55], ["Cutting Board", 25], ["Mixing Bowl Set", 30], ["Tea Kettle", 40], ["Frying Pan", 45], ["Espresso Cups Set", 22], ["Spice Rack", 28], ["Oven Mitts", 10]] },
  { name: "Electronics", variants: ["Black", "Silver"], items: [["Action Camera", 180], ["SD Memory Card 128GB", 22], ["Wireless Earbuds", 90], ["Bluetooth Speaker", 70], ["Phone Charger", 20], ["USB-C Cable", 9], ["Smart Watch", 210], ["Power Bank", 35], ["Laptop Stand", 45], ["Webcam", 60], ["Keyboard", 75], ["E-Reader", 130], ["Headphones", 150], ["Tablet Case", 25], ["Mouse", 30]] },
  { name: "Sports", variants: ["Blue", "Black", "Green"], items: [["Running Socks 3-Pack", 12], ["Yoga Mat", 30], ["Water Bottle", 15], ["Dumbbell Pair", 40], ["Resistance Bands", 18], ["Gym Bag", 35], ["Cycling Gloves", 20], ["Jump Rope", 9], ["Foam Roller", 25], ["Sports Towel", 14]] },
  { name: "Toys", variants: ["Classic", "Deluxe", "Mini"], items: [["Wooden Train Set", 35], ["Train Track Extension", 14], ["Building Blocks", 28], ["Puzzle 1000 Pieces", 16], ["Plush Bear", 18], ["Board Game", 30], ["Kite", 15], ["Art Set", 20], ["Toy Car", 8], ["Card Game", 10]] },
  { name: "Books", variants: ["Paperback", "Hardcover"], items: [["Cookbook", 25], ["Travel Guide", 18], ["Crime Novel", 12], ["Garden Handbook", 22], ["Children's Storybook", 10], ["Poetry Collection", 14], ["History of Tea", 20], ["Science Fiction Novel", 13], ["Photography Manual", 30], ["Notebook Journal", 9], ["Atlas", 35], ["Biography", 16], ["Puzzle Book", 8], ["Art Monograph", 40], ["Language Course", 28]] },
];

/** Category names, in catalogue order. */
export const DEMO_CATEGORIES: string[] = CATEGORY_SPECS.map((c) => c.name);

/** Planted co-purchase pairs by product noun (the first variant of each noun is used). */
export const PLANTED_PAIR_NOUNS: Array<[string, string]> = [
  ["Pour-Over Coffee Dripper", "Paper Coffee Filters"],
  ["Action Camera", "SD Memory Card 128GB"],
  ["Trail Running Shoes", "Running Socks 3-Pack"],
  ["Argan Shampoo", "Argan Conditioner"],
  ["Wooden Train Set", "Train Track Extension"],
];

/**
 * Build the catalogue: every noun × variant of every category (about 300
 * products), prices from the noun's base price ± up to 15% by variant, Zipf-like
 * popularity inside the category (seeded), the planted pair products boosted
 * so that their pairs pass ordinary minimum-support thresholds.
 */
export function buildCatalogue(rng: Rng): { products: DemoProduct[]; pairs: Array<[number, number]> } {
  const products: DemoProduct[] = [];
  const firstIndexOfNoun = new Map<string, number>();
  CATEGORY_SPECS.forEach((cat, ci) => {
    let j = 0;
    const start = products.length;
    for (const [noun, base] of cat.items) {
      for (let k = 0; k < cat.variants.length; k++) {
        const factor = 1 + 0.15 * (k / Math.max(1, cat.variants.length - 1)) - 0.05;
        const price = Math.max(1, Math.round(base * factor * 100 - 1) / 100); // e.g. 44.99
        const idx = products.length;
        if (!firstIndexOfNoun.has(noun)) firstIndexOfNoun.set(noun, idx);
        j++;
        products.push({
          product_id: `P${String(ci + 1).padStart(2, "0")}${String(j).padStart(2, "0")}`,
          product_name: `${noun} ${cat.variants[k]}`,
          category: cat.name,
          price,
          popularity: 1,
          categoryIndex: ci,
        });
      }
    }
    // Zipf-like popularity over a seeded permutation of the category's products.
    const n = products.length - start;
    const ranks = Array.from({ length: n }, (_, i) => i);
    rng.shuffle(ranks);
    for (let i = 0; i < n; i++) products[start + i].popularity = 1 / Math.pow(ranks[i] + 1, 0.7);
  });
  const pairs: Array<[number, number]> = PLANTED_PAIR_NOUNS.map(([a, b]) => {
    const ia = firstIndexOfNoun.get(a)!, ib = firstIndexOfNoun.get(b)!;
    products[ia].popularity = Math.max(products[ia].popularity, 0.9);
    products[ib].popularity = Math.max(products[ib].popularity, 0.5);
    return [ia, ib];
  });
  return { products, pairs };
}
