use infraval_api::colocation::{ArrRequest, ArrResponse};

use crate::{Client, ClientError};

impl Client {
    /// `POST /v1/colocation/arr`: a colocation site's annual recurring revenue.
    pub async fn colocation_arr(&self, request: &ArrRequest) -> Result<ArrResponse, ClientError> {
        self.post("v1/colocation/arr", request).await
    }
}
