# frozen_string_literal: true

module PipelineGuard
  module RSpec
    module Matchers
      # `expect(rbac).to permit(:read_secret).on("group/project").for(user_id)`
      # `expect(acl).to permit(:read).on("secrets/kv/data/explicit/DB")`
      # `expect(actor).to permit(:update).on(path)` (actor responds to `can?(ability, path)`)
      def permit(ability)
        Permit.new(ability)
      end
    end
  end
end

require_relative "matchers/permit"
