# frozen_string_literal: true

class ApplicationController < ActionController::API
  private

  def bearer_token
    header = request.authorization.to_s
    header.start_with?("Bearer ") ? header.delete_prefix("Bearer ").strip : nil
  end

  def current_user
    @current_user ||= User.find_by_token(bearer_token)
  end
end
