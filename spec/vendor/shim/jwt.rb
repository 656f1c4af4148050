# frozen_string_literal: true

# Stands in for `require "jwt"` when the vendored ruby-jwt suites run:
# the constant the suites test is PipelineGuard::JWT, and the jwt gem is
# never loaded (ruby_jwt_support.rb checks that at exit).
require "base64" # the gem loads it, and its specs use it
require "pipeline_guard"

JWT = PipelineGuard::JWT unless defined?(JWT)
# The documented switch for legacy short HMAC secrets, as a team moving
# from the gem with its existing secrets would set it.
PipelineGuard::JWT.enforce_hmac_key_length = false
