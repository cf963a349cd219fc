// RUN: kiln-opt %s --split-input-file --verify-diagnostics

// A hand-written recipe is checked against the same vocabulary as a model
// file's train section (dialects/kiln/IR/RecipeVocabulary.cpp): a recipe that
// names an unknown kind or setting, or gives a setting the wrong type or a
// value out of range, does not reach the passes.

// expected-error@+2 {{unknown optimizer `sgdd`; expected one of sgd adam adamw adagrad rmsprop newton}}
// expected-error@+1 {{failed to parse Kiln_TrainRecipeAttr parameter 'optimizer'}}
module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgdd>>} {}

// -----

// expected-error@+3 {{expected floating point literal}}
// expected-error@+2 {{optimizer `sgd`: `lr` (learning rate) takes a number}}
// expected-error@+1 {{failed to parse Kiln_TrainRecipeAttr parameter 'optimizer'}}
module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = "fast">>} {}

// -----

// expected-error@+2 {{optimizer `sgd` has no setting `betas`; it takes lr, momentum, nesterov, weight_decay, decoupled_weight_decay}}
// expected-error@+1 {{failed to parse Kiln_TrainRecipeAttr parameter 'optimizer'}}
module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01, betas = 0.9>>} {}

// -----

// expected-error@+2 {{optimizer `sgd` needs `lr` (learning rate)}}
// expected-error@+1 {{failed to parse Kiln_TrainRecipeAttr parameter 'optimizer'}}
module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd>>} {}

// -----

// expected-error@+2 {{`lr` is set twice}}
// expected-error@+1 {{failed to parse Kiln_TrainRecipeAttr parameter 'optimizer'}}
module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01, lr = 2.0e-01>>} {}

// -----

// expected-error@+2 {{optimizer `sgd`: `momentum` (heavy-ball momentum factor) must be in [0, 1)}}
// expected-error@+1 {{failed to parse Kiln_TrainRecipeAttr parameter 'optimizer'}}
module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01, momentum = 1.5>>} {}

// -----

// The rules between settings of one kind.
// expected-error@+2 {{optimizer `sgd`: Nesterov momentum needs `momentum` > 0}}
// expected-error@+1 {{failed to parse Kiln_TrainRecipeAttr parameter 'optimizer'}}
module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01, nesterov = true>>} {}

// -----

// expected-error@+2 {{unknown schedule `linear`}}
// expected-error@+1 {{failed to parse Kiln_TrainRecipeAttr parameter 'schedule'}}
module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01>, schedule = #kiln.schedule<linear>>} {}

// -----

// expected-error@+2 {{schedule `multi_step`: `milestones` (the epochs (or steps) at which the rate decays) must be whole numbers >= 1 that increase}}
// expected-error@+1 {{failed to parse Kiln_TrainRecipeAttr parameter 'schedule'}}
module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01>, schedule = #kiln.schedule<multi_step, milestones = [60, 30]>>} {}

// -----

// The rules between the parts of a recipe.
// expected-error@+1 {{recipe: `clip` does not apply to full-batch methods (`newton`)}}
module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<newton>, clip = #kiln.clip<value, clip_value = 1.0>>} {}

// -----

// expected-error@+1 {{recipe: val_split must be in (0, 1)}}
module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01>, val_split = 1.5>} {}

// -----

// expected-error@+1 {{recipe: a recipe trains for at least one epoch}}
module attributes {kiln.train = #kiln.train<epochs = 0, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01>>} {}

// -----

// A recipe belongs on the module, and the module attribute must be one.
// expected-error@+1 {{attribute '"kiln.train"' must be a #kiln.train recipe, got 3 : i64}}
module attributes {kiln.train = 3} {}
