# frozen_string_literal: true

# `require "jwt/x5c_key_finder"` of the 2.5.0 suite: JWT::X5cKeyFinder
# comes with PipelineGuard::JWT.
require "jwt"
