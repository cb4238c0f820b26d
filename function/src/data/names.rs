//! Word lists for the sample-data generator. Changing any list changes the generated data:
//! regenerate `data/sample` afterwards (see `function/tests/generate.rs`).

/// Game modes, with how often a score is played in each.
pub(crate) const MODES: &[(&str, u32)] = &[("Solo", 55), ("Duo", 30), ("Trio", 15)];

/// Regions of the Space Game, with how often a score is set in each. The original's six
/// plus two more, so no client can get away with a hard-coded list.
pub(crate) const REGIONS: &[(&str, u32)] = &[
    ("Milky Way", 24),
    ("Andromeda", 18),
    ("Pinwheel", 14),
    ("NGC 1300", 11),
    ("Messier 82", 10),
    ("Ring Nebula", 9),
    ("Sombrero", 8),
    ("Triangulum", 6),
];

/// Achievements, common to rare. A player earns them repeatedly, one entry each time, as
/// the game's profiles list them.
pub(crate) const ACHIEVEMENTS: &[(&str, u32)] = &[
    ("Space Race", 30),
    ("Cruiser", 28),
    ("Photon Hunter", 26),
    ("Professor", 24),
    ("Cosmologist", 20),
    ("Atom Smasher", 18),
    ("Faster than Light", 16),
    ("Master Pilot", 14),
    ("Particle Accelerator", 12),
    ("King of the Hill", 10),
    ("Asteroid Miner", 10),
    ("Comet Chaser", 9),
    ("Escape Velocity", 8),
    ("Event Horizon", 6),
    ("Wormhole Surfer", 5),
    ("Supernova", 4),
    ("Dark Matter", 3),
    ("King of the Universe", 2),
];

/// Halves of gamer tags ("nova" + "hunter").
pub(crate) const TAG_STARTS: &[&str] = &[
    "nova", "astro", "quasar", "photon", "void", "nebula", "comet", "orbit", "pulsar", "star",
    "cosmo", "lunar", "solar", "meteor", "rocket", "warp", "plasma", "ion", "zero", "dark",
    "hyper", "gamma", "neutron", "galaxy", "ether", "cyber", "turbo", "shadow", "iron", "red",
    "frost", "blaze", "hydra", "titan", "vortex", "echo", "pixel", "laser", "moon", "sky",
];

pub(crate) const TAG_ENDS: &[&str] = &[
    "hunter", "pilot", "rider", "fox", "wolf", "byte", "blade", "storm", "runner", "jumper",
    "drifter", "ace", "knight", "hawk", "ghost", "smith", "walker", "breaker", "raven", "falcon",
    "dragon", "cat", "bot", "master", "seeker", "nomad", "captain", "kid", "lord", "ninja",
    "sniper", "grinder", "flyer", "crusher", "spark",
];

/// First names, a few with letters beyond ASCII.
pub(crate) const FIRST_NAMES: &[&str] = &[
    "Anna", "Ben", "Carlos", "Dana", "Elif", "Femi", "Grace", "Hiro", "Ines", "Jamal", "Kai",
    "Lena", "Mateo", "Nia", "Oscar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor",
    "Wei", "Ximena", "Yusuf", "Zoë", "Jürgen", "Søren", "Anaïs", "Łukasz", "José", "Chloé",
    "Björn", "Ayşe", "Mia", "Noah", "Olivia", "Liam", "Emma", "Lucas", "Sofia", "Max", "Aiko",
    "Dmitri", "Fatima", "Kofi", "Maya", "Ravi", "Sven", "Tess",
];

pub(crate) const LAST_NAMES: &[&str] = &[
    "Martin",
    "Schmidt",
    "García",
    "Novak",
    "Kim",
    "Okafor",
    "Rossi",
    "Nguyen",
    "Silva",
    "Johansson",
    "Müller",
    "Dubois",
    "Tanaka",
    "Kowalski",
    "Singh",
    "Haddad",
    "Brown",
    "Walsh",
    "Petrov",
    "Costa",
    "Larsen",
    "Ibrahim",
    "Chen",
    "Moreau",
    "Fischer",
    "Yilmaz",
    "Patel",
    "Lopez",
    "Andersen",
    "Sato",
];
