//! `PipelineGuard::SecretsManager::Secret`: a secret's attributes (never its
//! value), validated on construction. Immutable.
use magnus::{
    function, method,
    prelude::*,
    scan_args::{get_kwargs, scan_args},
    typed_data::Obj,
    Error, RHash, RModule, Ruby, Value,
};
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
    /// `Secret.new(name:, environment: "*", branch: "*", protected: false,
    /// description: nil)`: keywords parsed here, the result frozen.
    fn new(ruby: &Ruby, args: &[Value]) -> Result<Obj<Self>, Error> {
        let args = scan_args::<(), (), (), (), RHash, ()>(args)?;
        type Optional = (
            Option<String>,
            Option<String>,
            Option<Value>,
            Option<Option<String>>,
        );
        let kw = get_kwargs::<_, (String,), Optional, ()>(
            args.keywords,
            &["name"],
            &["environment", "branch", "protected", "description"],
        )?;
        let (name,) = kw.required;
        let (environment, branch, protected, description) = kw.optional;
        let secret = guard(ruby, || {
            let secret = Secret {
                name,
                environment: environment.unwrap_or_else(|| "*".to_owned()),
                branch: branch.unwrap_or_else(|| "*".to_owned()),
                protected: protected.is_some_and(|v| v.to_bool()),
                description: description.flatten(),
            };
            secret.validate().map_err(|e| secrets_error(ruby, e))?;
            Ok(Self(secret))
        })?;
        let obj = ruby.obj_wrap(secret);
        obj.freeze();
        Ok(obj)
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
    class.define_singleton_method("new", function!(RbSecret::new, -1))?;
    class.define_method("name", method!(RbSecret::name, 0))?;
    class.define_method("environment", method!(RbSecret::environment, 0))?;
    class.define_method("branch", method!(RbSecret::branch, 0))?;
    class.define_method("protected?", method!(RbSecret::protected, 0))?;
    class.define_method("description", method!(RbSecret::description, 0))?;
    Ok(())
}
