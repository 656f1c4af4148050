# frozen_string_literal: true

class GraphqlController < ApplicationController
  def execute
    variables = params[:variables]
    variables = JSON.parse(variables) if variables.is_a?(String) && !variables.empty?
    variables = variables.to_unsafe_h if variables.respond_to?(:to_unsafe_h)
    result = SecretsManagerSchema.execute(
      params[:query], variables: variables || {}, operation_name: params[:operationName],
                      context: { current_user:, pipeline_guard_authorizer: Authz::GraphqlAuthorizer.new }
    )
    render json: result
  end
end
