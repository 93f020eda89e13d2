namespace Shop.Catalog.Api.Data;

/// <summary>
/// A realistic catalog made from word lists with a fixed seed: the same 1,200 products, ids, prices and
/// stock on every machine and every run, so tests and screenshots can name products.
/// </summary>
public static class CatalogSeed
{
    public const int ProductsPerCategory = 120;
    private const int Seed = 20_261_129;

    public sealed record SeedCategory(string Slug, string Name, int MinPrice, int MaxPrice, string[] Brands, string[] Nouns, string[] Materials);

    public sealed record SeedProduct(int Id, string Name, string Description, string Brand, int PriceCents, int Stock, string Category);

    public sealed record SeedCatalog(IReadOnlyList<SeedCategory> Categories, IReadOnlyList<SeedProduct> Products);

    public static readonly IReadOnlyList<SeedCategory> Categories =
    [
        new("kitchen", "Kitchen", 6, 240, ["Hearthstone", "Copperleaf", "Salt & Ember", "Mirepoix", "Larder Co."],
            ["Skillet", "Saucepan", "Chef's Knife", "Cutting Board", "Dutch Oven", "Mixing Bowl Set", "Pepper Mill", "Kettle", "Colander", "Spatula", "Baking Sheet", "Teapot"],
            ["Cast-Iron", "Stainless", "Walnut", "Enamel", "Ceramic", "Copper", "Bamboo", "Carbon-Steel"]),
        new("garden", "Garden", 4, 180, ["Greenfinch", "Rootstock", "Meadowgate", "Fernhill"],
            ["Trowel", "Pruning Shears", "Watering Can", "Planter", "Hose Reel", "Seed Tray", "Rake", "Wheelbarrow", "Bird Feeder", "Kneeling Pad"],
            ["Galvanized", "Terracotta", "Ash-Handled", "Recycled", "Forged", "Cedar", "Zinc"]),
        new("electronics", "Electronics", 12, 900, ["Voltaic", "Northwave", "Pixelforge", "Kestrel Audio", "Lumen Labs"],
            ["Wireless Earbuds", "Bluetooth Speaker", "USB-C Charger", "Smart Plug", "Webcam", "Mechanical Keyboard", "E-Reader", "Power Bank", "Desk Lamp", "Headphones", "Monitor Arm"],
            ["Compact", "Pro", "Ultra", "Mini", "Wireless", "Noise-Cancelling", "Fast-Charge", "Aluminium"]),
        new("outdoor", "Outdoor", 10, 450, ["Summit Trail", "Bearpaw", "Driftwood", "Northbound"],
            ["Tent", "Sleeping Bag", "Headlamp", "Camp Stove", "Hammock", "Water Filter", "Trekking Poles", "Daypack", "Camp Chair", "Cooler"],
            ["Ultralight", "Two-Person", "Waterproof", "Insulated", "Packable", "Ripstop", "All-Season"]),
        new("home-office", "Home Office", 5, 600, ["Deskwise", "Inkwell", "Quillford", "Studio Nine"],
            ["Notebook", "Desk Organizer", "Ergonomic Chair", "Standing Desk", "Fountain Pen", "Monitor Stand", "Filing Box", "Whiteboard", "Pen Cup", "Desk Mat"],
            ["Leather", "Oak", "Felt", "Steel", "Recycled-Paper", "Cork", "Matte"]),
        new("sports", "Sports", 8, 350, ["Apex Motion", "Fieldhouse", "Stridewell", "Peak Form"],
            ["Yoga Mat", "Dumbbell Pair", "Jump Rope", "Running Belt", "Foam Roller", "Kettlebell", "Resistance Bands", "Water Bottle", "Tennis Racket", "Football"],
            ["Non-Slip", "Adjustable", "Weighted", "Grip", "Training", "Competition", "Lightweight"]),
        new("toys", "Toys & Games", 5, 150, ["Tinker & Twig", "Puzzlebox", "Little Orbit", "Marble Hall"],
            ["Building Blocks", "Jigsaw Puzzle", "Board Game", "Kite", "Train Set", "Plush Bear", "Card Game", "Marble Run", "Stacking Rings", "Puppet"],
            ["Wooden", "Rainbow", "Family", "Classic", "Magnetic", "Travel", "Glow-in-the-Dark"]),
        new("beauty", "Beauty & Care", 4, 120, ["Moss & Myrrh", "Bloomwell", "Saltwater Apothecary", "Oatfield"],
            ["Hand Cream", "Shampoo Bar", "Face Serum", "Lip Balm", "Bath Salts", "Body Wash", "Hair Brush", "Shaving Kit", "Soap Set", "Sunscreen"],
            ["Lavender", "Unscented", "Citrus", "Oat", "Rosemary", "Sea-Salt", "Sandalwood"]),
        new("pets", "Pets", 3, 200, ["Pawsome", "Tailwind", "Good Boy Goods", "Whisker & Co."],
            ["Dog Bed", "Cat Tree", "Leash", "Chew Toy", "Food Bowl", "Scratching Post", "Grooming Brush", "Travel Crate", "Treat Pouch", "Collar"],
            ["Orthopedic", "Reflective", "Rubber", "Stainless", "Washable", "Sisal", "Padded"]),
        new("books", "Books", 6, 60, ["Lanternfish Press", "Oak & Quill", "Brightline Books", "Paper Harbor"],
            ["Cookbook", "Field Guide", "Atlas", "Novel", "Poetry Collection", "Sketchbook", "Travel Journal", "Puzzle Book", "Biography", "Handbook"],
            ["Illustrated", "Hardcover", "Pocket", "Collector's", "Annotated", "Large-Print", "Paperback"]),
    ];

    private static readonly string[] Adjectives =
        ["Everyday", "Heritage", "Nordic", "Coastal", "Urban", "Alpine", "Classic", "Modern", "Rustic", "Signature", "Essential", "Artisan"];

    private static readonly string[] Qualities =
        ["built to last for years", "designed with daily use in mind", "tested by people who use it every day",
         "made from responsibly sourced materials", "backed by a two-year warranty", "easy to clean and store",
         "balanced, sturdy and pleasant to hold", "finished by hand in small batches"];

    private static readonly string[] Details =
        ["Arrives ready to use.", "A favourite gift.", "Pairs well with the rest of the range.", "Ships in plastic-free packaging.",
         "Spare parts available for ten years.", "Popular with first-time buyers.", "Rated highly by our customers."];

    public static SeedCatalog Generate()
    {
        var random = new Random(Seed);
        var products = new List<SeedProduct>(Categories.Count * ProductsPerCategory);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        foreach (var category in Categories)
        {
            for (var i = 0; i < ProductsPerCategory; i++)
            {
                string name;
                string material, noun;
                do
                {
                    material = Pick(random, category.Materials);
                    noun = Pick(random, category.Nouns);
                    name = $"{Pick(random, Adjectives)} {material} {noun}";
                }
                while (!names.Add(name));

                var brand = Pick(random, category.Brands);
                var description = $"A {material.ToLowerInvariant()} {noun.ToLowerInvariant()} from {brand}, {Pick(random, Qualities)}. {Pick(random, Details)}";

                // Prices end in .99, .49 or .00 like a real shop; about one product in fifteen is sold out.
                var whole = random.Next(category.MinPrice, category.MaxPrice + 1);
                var cents = Pick(random, [99, 49, 0]);
                var stock = random.Next(15) == 0 ? 0 : random.Next(1, 250);

                products.Add(new SeedProduct(products.Count + 1, name, description, brand, whole * 100 + cents, stock, category.Slug));
            }
        }

        return new SeedCatalog(Categories, products);
    }

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];
}
