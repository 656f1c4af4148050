# frozen_string_literal: true

class JwksController < ApplicationController
  def show
    jwks = IdTokens.jwks
    render json: jwks.is_a?(String) ? JSON.parse(jwks) : jwks
  end
end
