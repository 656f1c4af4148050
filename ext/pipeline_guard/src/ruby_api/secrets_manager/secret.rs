//! `PipelineGuard::SecretsManager::Secret`: a secret's attributes (never its
//! value), validated on construction. Immutable.
use magnus::{function, method, prelude::*, Error, RModule, Ruby};
use pipeline_guard_core::secrets::Secret;

use crate::helpers::guard::guard;
use crate::ruby_api::secrets_manager::errors::secrets_error;

#[magnus::wrap(
    class = "PipelineGuard::SecretsManager::Secret",
    free_immediately,
    size,
    frozen_shareable
)]
pub struct RbSecret(pub Secret);

impl RbSecret {
    fn new(
        ruby: &Ruby,
        name: String,
        environment: String,
        branch: String,
        protected: bool,
        description: Option<String>,
    ) -> Result<Self, Error> {
        guard(ruby, || {
            let secret = Secret {
                name,
                environment,
                branch,
                protected,
                description,
            };
            secret.validate().map_err(|e| secrets_error(ruby, e))?;
            Ok(Self(secret))
        })
    }

    fn name(&self) -> String {
        self.0.name.clone()
    }
    fn environment(&self) -> String {
        self.0.environment.clone()
    }
    fn branch(&self) -> String {
        self.0.branch.clone()
    }
    fn protected(&self) -> bool {
        self.0.protected
    }
    fn description(&self) -> Option<String> {
        self.0.description.clone()
    }
}

pub fn init(ruby: &Ruby, module: RModule) -> Result<(), Error> {
    let class = module.define_class("Secret", ruby.class_object())?;
    class.define_singleton_method("_new", function!(RbSecret::new, 5))?;
    class.define_method("name", method!(RbSecret::name, 0))?;
    class.define_method("environment", method!(RbSecret::environment, 0))?;
    class.define_method("branch", method!(RbSecret::branch, 0))?;
    class.define_method("protected?", method!(RbSecret::protected, 0))?;
    class.define_method("description", method!(RbSecret::description, 0))?;
    Ok(())
}
